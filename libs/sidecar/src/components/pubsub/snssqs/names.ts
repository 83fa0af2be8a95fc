const MAX_NAME_LENGTH = 80;
const FIFO_SUFFIX = '.fifo';

/**
 * daprd's `nameToAWSSanitizedName`: keep only `[A-Za-z0-9_-]`, at most 80 characters; with FIFO the name ends in
 * `.fifo` (an existing suffix is kept, not doubled) and is shortened to make room for it. `orders.created` → `orderscreated`.
 */
export function sanitizedAwsName(name: string, fifo: boolean): string {
  const base = fifo && name.endsWith(FIFO_SUFFIX) ? name.slice(0, -FIFO_SUFFIX.length) : name;
  const kept = base.replace(/[^A-Za-z0-9_-]/g, '').slice(0, MAX_NAME_LENGTH);
  return fifo ? kept.slice(0, MAX_NAME_LENGTH - FIFO_SUFFIX.length) + FIFO_SUFFIX : kept;
}

/** The entity name at the end of an ARN (`arn:aws:sns:us-east-1:123456789012:orders` → `orders`). */
export function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}
