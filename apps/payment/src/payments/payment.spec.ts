import { PaymentStatus, type Payment } from '@repo/contracts';
import { createPayment, rejectPayment } from './payment';

const NOW = '2026-01-01T00:00:00.000Z';
const request = (totalPrice: number) => ({ requestId: 'r1', userId: 'A00001', totalPrice });
const payment = (status: PaymentStatus, message?: string): Payment => ({ requestId: 'r1', userId: 'A00001', totalPrice: 600, status, message, updatedAt: NOW });

describe('createPayment', () => {
  it('creates a payment up to the limit and replies 200', () => {
    const d = createPayment(request(50_000), undefined, 50_000, NOW);
    expect(d.payment).toMatchObject({ requestId: 'r1', status: 'CREATED', totalPrice: 50_000 });
    expect(d.reply).toEqual({ requestId: 'r1', status: 200, processType: 'PAYMENT_CREATE' });
  });

  it('fails a payment over the limit: records FAILED and replies 400', () => {
    const d = createPayment(request(50_001), undefined, 50_000, NOW);
    expect(d.payment).toMatchObject({ status: 'FAILED' });
    expect(d.reply).toEqual({ requestId: 'r1', status: 400, processType: 'PAYMENT_CREATE', message: 'Payment of 50001 exceeds the limit of 50000' });
  });

  it('answers a repeated request as the first time, writing nothing', () => {
    expect(createPayment(request(600), payment('CREATED'), 50_000, NOW)).toEqual({ reply: { requestId: 'r1', status: 200, processType: 'PAYMENT_CREATE' } });
    expect(createPayment(request(600), payment('FAILED', 'over'), 50_000, NOW)).toEqual({ reply: { requestId: 'r1', status: 400, processType: 'PAYMENT_CREATE', message: 'over' } });
  });

  it('refuses a request whose payment was already cancelled', () => {
    expect(createPayment(request(600), payment('REJECTED'), 50_000, NOW).reply).toMatchObject({ status: 400 });
  });
});

describe('rejectPayment (compensation)', () => {
  it('cancels a created payment and replies 200', () => {
    const d = rejectPayment('r1', payment('CREATED'), NOW);
    expect(d.payment?.status).toBe('REJECTED');
    expect(d.reply).toEqual({ requestId: 'r1', status: 200, processType: 'PAYMENT_REJECT_CREATE' });
  });

  it('has nothing to cancel for a failed or cancelled payment: 200, writing nothing', () => {
    expect(rejectPayment('r1', payment('FAILED'), NOW)).toEqual({ reply: { requestId: 'r1', status: 200, processType: 'PAYMENT_REJECT_CREATE' } });
    expect(rejectPayment('r1', payment('REJECTED'), NOW).payment).toBeUndefined();
  });

  it('records a cancellation that overtook its payment, so the late request creates nothing', () => {
    const d = rejectPayment('r1', undefined, NOW);
    expect(d.payment?.status).toBe('REJECTED');
    const late = createPayment(request(600), d.payment, 50_000, NOW);
    expect(late.payment).toBeUndefined();
    expect(late.reply.status).toBe(400);
  });
});
