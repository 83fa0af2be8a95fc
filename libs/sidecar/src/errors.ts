/**
 * One error type for everything the API answers with a failure. Handlers throw it; `api/respond.ts` is the one
 * place that turns it into daprd's body `{"errorCode","message"}` (plus `details` for the kit-style errors).
 */
export class DaprError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'DaprError';
  }

  toJSON(): Record<string, unknown> {
    return this.details
      ? { errorCode: this.errorCode, message: this.message, details: this.details }
      : { errorCode: this.errorCode, message: this.message };
  }
}

/** The google.rpc.ErrorInfo entry daprd's "kit" errors carry (`reason` such as DAPR_STATE_NOT_FOUND). */
export function errorInfo(reason: string, appId: string): Record<string, unknown> {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'dapr.io', metadata: { appID: appId } };
}

/** A resource file that cannot be used: names the file, the YAML document (1-based) and the field. */
export class ResourceError extends Error {
  constructor(
    readonly file: string,
    readonly document: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${file} (document ${document})${field ? `, field ${field}` : ''}: ${detail}`);
    this.name = 'ResourceError';
  }
}

/** A component's metadata is missing a value or holds a bad one; raised while the component initialises. */
export class ComponentConfigError extends Error {
  constructor(component: string, detail: string) {
    super(`component ${component}: ${detail}`);
    this.name = 'ComponentConfigError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
