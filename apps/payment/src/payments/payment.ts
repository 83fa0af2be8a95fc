import { PaymentStatus, ProcessType, type CreateOrderReply, type Payment, type PaymentCreateRequest } from '@repo/contracts';

/**
 * Payment's side of the saga as pure functions: the stored payment (by request id) and the request → what to
 * store and what to reply. A repeated request finds the stored payment and gets the same reply.
 */

export interface Decision {
  /** The payment to store; undefined when nothing is written. */
  payment?: Payment;
  reply: CreateOrderReply;
}

export function createPayment(request: PaymentCreateRequest, existing: Payment | undefined, limit: number, now: string): Decision {
  const type = ProcessType.PAYMENT_CREATE;
  if (existing) return { reply: replyToCreate(existing) };
  const base = { requestId: request.requestId, userId: request.userId, totalPrice: request.totalPrice, updatedAt: now };
  if (request.totalPrice > limit) {
    const message = `Payment of ${request.totalPrice} exceeds the limit of ${limit}`;
    return { payment: { ...base, status: PaymentStatus.FAILED, message }, reply: { requestId: request.requestId, status: 400, processType: type, message } };
  }
  return { payment: { ...base, status: PaymentStatus.CREATED }, reply: { requestId: request.requestId, status: 200, processType: type } };
}

/** Compensation: cancel a created payment. Nothing to cancel (failed, already cancelled) is still a success. */
export function rejectPayment(requestId: string, existing: Payment | undefined, now: string): Decision {
  const reply: CreateOrderReply = { requestId, status: 200, processType: ProcessType.PAYMENT_REJECT_CREATE };
  if (!existing) {
    // The cancellation overtook the payment request: record it, so a late request creates no payment.
    return { payment: { requestId, userId: '', totalPrice: 0, status: PaymentStatus.REJECTED, message: 'Cancelled before it was created', updatedAt: now }, reply };
  }
  if (existing.status !== PaymentStatus.CREATED) return { reply };
  return { payment: { ...existing, status: PaymentStatus.REJECTED, updatedAt: now }, reply };
}

function replyToCreate(payment: Payment): CreateOrderReply {
  const base = { requestId: payment.requestId, processType: ProcessType.PAYMENT_CREATE };
  if (payment.status === PaymentStatus.CREATED) return { ...base, status: 200 };
  return { ...base, status: 400, message: payment.message ?? 'The payment was cancelled' };
}
