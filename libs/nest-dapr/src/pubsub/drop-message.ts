import { RpcException } from '@nestjs/microservices';

/** What a subscriber's outcome becomes in the answer to the sidecar (daprd's `SUCCESS` / `RETRY` / `DROP`). */
export type DeliveryStatus = 'SUCCESS' | 'RETRY' | 'DROP';

/**
 * Throw from an `@EventPattern` handler to drop the message: the sidecar acks it (and dead-letters it when the
 * subscription has a `deadLetterTopic`). Any other error asks for a redelivery (RETRY).
 */
export class DropMessage extends RpcException {
  constructor(readonly reason: string) {
    // Nest's RPC exception filter rethrows `getError()`, so the status travels in the error object.
    super({ status: 'DROP', message: reason });
  }
}

/** The outcome a handler's failure stands for: DROP for DropMessage (before or after Nest's filter), else RETRY. */
export function statusOfFailure(err: unknown): DeliveryStatus {
  if (err instanceof DropMessage) return 'DROP';
  if (typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 'DROP') return 'DROP';
  return 'RETRY';
}

export function failureMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  return String(err);
}
