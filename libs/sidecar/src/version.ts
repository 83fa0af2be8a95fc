/** Reported as `runtimeVersion` in `/v1.0/metadata`; kept in step with libs/sidecar/package.json. */
export const VERSION = '0.1.0';
