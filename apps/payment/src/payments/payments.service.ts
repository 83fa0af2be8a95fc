import { Injectable, NotFoundException } from '@nestjs/common';
import { STATE_STORES, type CreateOrderReply, type Payment, type PaymentCreateRequest } from '@repo/contracts';
import { DaprClient, withConflictRetry } from '@repo/nest-dapr';
import { PaymentConfig } from '../config';
import { createPayment, rejectPayment, type Decision } from './payment';

const STORE = STATE_STORES.payment;
const paymentKey = (requestId: string): string => `payment:${requestId}`;

/** Payments in the `payment-store`, one key per request id, written under the etag they were decided on. */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly dapr: DaprClient,
    private readonly config: PaymentConfig,
  ) {}

  create(request: PaymentCreateRequest): Promise<CreateOrderReply> {
    return this.decide(request.requestId, (existing) => createPayment(request, existing, this.config.paymentLimit, new Date().toISOString()));
  }

  reject(requestId: string): Promise<CreateOrderReply> {
    return this.decide(requestId, (existing) => rejectPayment(requestId, existing, new Date().toISOString()));
  }

  async get(requestId: string): Promise<Payment> {
    const item = await this.dapr.getState<Payment>(STORE, paymentKey(requestId));
    if (!item) throw new NotFoundException(`no payment for request ${requestId}`);
    return item.value;
  }

  private decide(requestId: string, decide: (existing: Payment | undefined) => Decision): Promise<CreateOrderReply> {
    return withConflictRetry(async () => {
      const key = paymentKey(requestId);
      const current = await this.dapr.getState<Payment>(STORE, key);
      const decision = decide(current?.value);
      if (decision.payment) {
        // First-write for a new payment: two deliveries of one request cannot both create it.
        await this.dapr.saveState(STORE, [
          current ? { key, value: decision.payment, etag: current.etag } : { key, value: decision.payment, concurrency: 'first-write' },
        ]);
      }
      return decision.reply;
    });
  }
}
