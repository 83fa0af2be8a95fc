/** The sidecar answered with an error: daprd's status, `errorCode` and `message`. */
export class DaprApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'DaprApiError';
  }
}

/**
 * A state write lost a race: the etag was stale, or first-write found the key. daprd answers 409 for a save or a
 * delete, and 500 ERR_STATE_TRANSACTION with the store's "etag mismatch" text for a transaction.
 */
export class StateConflictError extends DaprApiError {
  constructor(status: number, errorCode: string | undefined, message: string) {
    super(status, errorCode, message);
    this.name = 'StateConflictError';
  }
}

/** The sidecar did not become reachable (its outbound health) in time. */
export class SidecarUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SidecarUnavailableError';
  }
}

/** Builds the typed error for a failed API call from daprd's `{errorCode, message}` body (or its plain text). */
export function apiErrorFrom(status: number, body: Buffer, what: string): DaprApiError {
  const text = body.toString('utf8');
  let errorCode: string | undefined;
  let message = text;
  try {
    const parsed = JSON.parse(text) as { errorCode?: unknown; message?: unknown };
    if (typeof parsed.errorCode === 'string') errorCode = parsed.errorCode;
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // daprd answers some errors in plain text (e.g. 401 "invalid api token").
  }
  const full = `${what}: ${status}${errorCode ? ` ${errorCode}` : ''} ${message}`.trim();
  const conflict = status === 409 || (errorCode === 'ERR_STATE_TRANSACTION' && /etag mismatch/i.test(message));
  return conflict ? new StateConflictError(status, errorCode, full) : new DaprApiError(status, errorCode, full);
}
