import path from 'node:path';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
export const OUTPUT_DIR = path.join(WORKSPACE_ROOT, 'apps/e2e/test-output');
/** The pages a run keeps as pictures (the storefront after an order, the operations page). */
export const SCREENSHOTS_DIR = path.join(OUTPUT_DIR, 'screenshots');
export const RUNNER_LOG = path.join(OUTPUT_DIR, 'runner.log');

export function screenshotPath(name: string): string {
  return path.join(SCREENSHOTS_DIR, `${name}.png`);
}

/**
 * A port of the system under test: dapr.yaml's (from the contracts), unless the flows run against a system
 * started elsewhere with other ports (E2E_BASE_URL with E2E_FRONT_DAPR_PORT / E2E_PAYMENT_PORT).
 */
export function portOf(variable: 'E2E_FRONT_DAPR_PORT' | 'E2E_PAYMENT_PORT', standard: number): number {
  const value = process.env[variable];
  return value ? Number(value) : standard;
}
