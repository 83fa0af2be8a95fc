import type { ResiliencyResource, RetryPolicy } from '../resources/types';

/**
 * How deliveries of one pub/sub are retried before a message goes to its dead-letter topic (or back to the
 * broker): the Resiliency target `components.<pubsub>.inbound`, else daprd's default-policy names. With neither,
 * the default is daprd's: a single attempt, then the dead-letter topic or a nack, so the broker redelivers.
 */
export interface InboundPolicy {
  retry?: RetryPolicy;
  /** Per-attempt time limit for the call to the app. */
  timeoutMs?: number;
}

const DEFAULT_RETRY_NAMES = ['DefaultPubsubComponentInboundRetryPolicy', 'DefaultComponentInboundRetryPolicy', 'DefaultComponentRetryPolicy', 'DefaultRetryPolicy'];
const DEFAULT_TIMEOUT_NAMES = ['DefaultPubsubComponentInboundTimeoutPolicy', 'DefaultComponentInboundTimeoutPolicy', 'DefaultComponentTimeoutPolicy', 'DefaultTimeoutPolicy'];

export function inboundPolicy(resiliencies: ResiliencyResource[], pubsub: string): InboundPolicy {
  const policy: InboundPolicy = {};
  for (const r of resiliencies) {
    const target = r.components[pubsub]?.inbound;
    if (target?.retry && !policy.retry) policy.retry = r.retries[target.retry];
    if (target?.timeout && policy.timeoutMs === undefined) policy.timeoutMs = r.timeoutsMs[target.timeout];
  }
  for (const r of resiliencies) {
    policy.retry ??= firstNamed(r.retries, DEFAULT_RETRY_NAMES);
    policy.timeoutMs ??= firstNamed(r.timeoutsMs, DEFAULT_TIMEOUT_NAMES);
  }
  return policy;
}

function firstNamed<T>(pool: Record<string, T>, names: string[]): T | undefined {
  for (const name of names) if (pool[name] !== undefined) return pool[name];
  return undefined;
}

/** A delivery failure; `statusCode` is the app's HTTP status when there was one (for `matching.httpStatusCodes`). */
export class RetriableError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/**
 * The wait before retry number `attempt` (1-based), or undefined when the budget is spent or the policy does not
 * retry this failure. Exponential backoff is daprd's: 500 ms, ×1.5, ±50 % jitter, capped at `maxInterval`.
 */
export function retryDelay(policy: RetryPolicy | undefined, attempt: number, err: unknown): number | undefined {
  if (!policy) return undefined;
  if (policy.maxRetries >= 0 && attempt > policy.maxRetries) return undefined;
  if (policy.httpStatusCodes && err instanceof RetriableError && err.statusCode !== undefined && !codeMatches(policy.httpStatusCodes, err.statusCode)) {
    return undefined;
  }
  if (policy.policy === 'constant') return policy.durationMs;
  const base = Math.min(500 * 1.5 ** (attempt - 1), policy.maxIntervalMs);
  return Math.min(base * (0.5 + Math.random()), policy.maxIntervalMs);
}

/** `"429,500-599"`: a list of codes and ranges. */
function codeMatches(spec: string, code: number): boolean {
  return spec.split(',').some((part) => {
    const [from, to] = part.trim().split('-').map(Number);
    return to === undefined ? code === from : code >= from! && code <= to;
  });
}
