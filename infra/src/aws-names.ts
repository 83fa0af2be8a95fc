/**
 * daprd's snssqs component names its SNS topics and SQS queues through `nameToAWSSanitizedName`: it keeps only
 * `[a-zA-Z0-9_-]` and cuts at 80 characters. With `disableEntityManagement` it looks the entities up by that name,
 * so the ones created here must carry exactly the same names.
 */
export function awsSanitizedName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '').slice(0, 80);
}
