import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns something other than `undefined` (or `false`), and returns that. Fails with
 * `what` once `timeoutMs` has passed: eventual outcomes are awaited, never slept for.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await sleep(50);
  }
}
