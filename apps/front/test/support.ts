// Test helpers shared by every app: sidecars in this process (shared in-memory broker), bounded waits.
// eslint-disable-next-line @nx/enforce-module-boundaries
export * from '../../../libs/nest-dapr/test/support/dapr-app';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { waitFor, freePort, startTestApp, type TestApp } from '../../../libs/nest-dapr/test/support/sidecar';
