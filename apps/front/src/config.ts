import path from 'node:path';
import { intFromEnv } from '@repo/nest-dapr';

/** The front's settings, from the environment; the defaults are what `npm start` runs. */
export class FrontConfig {
  /** `FRONT_INVOKE_TIMEOUT_MS` (default 5000): how long a call to another app may take before it counts as not answering. */
  readonly invokeTimeoutMs: number;
  /** `FRONT_PROBE_TIMEOUT_MS` (default 1500): the same for a health or metadata probe, which should be quick. */
  readonly probeTimeoutMs: number;
  /** `FRONT_PUBLIC_DIR`: the built pages and scripts (default `public` beside the compiled server). */
  readonly publicDir: string;

  constructor(env: NodeJS.ProcessEnv) {
    this.invokeTimeoutMs = intFromEnv(env, 'FRONT_INVOKE_TIMEOUT_MS', 5000);
    this.probeTimeoutMs = intFromEnv(env, 'FRONT_PROBE_TIMEOUT_MS', 1500);
    this.publicDir = env['FRONT_PUBLIC_DIR'] || path.join(__dirname, 'public');
  }
}

export const frontConfigProvider = { provide: FrontConfig, useFactory: (): FrontConfig => new FrontConfig(process.env) };
