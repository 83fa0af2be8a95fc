import { OrderStatus, ProcessType, type CreateOrderReply, type Order, type ProcessType as ProcessTypeT, type ReplyStatus } from '@repo/contracts';
import { SAGA, commandFor, failToStart, onReply, startOrder, type SagaStep } from './saga';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';
const items = [
  { productId: '100', quantity: 2, price: 300 },
  { productId: '101', quantity: 1, price: 1200 },
];
const started = () => startOrder({ orderId: 'o-1', userId: 'A00001', items, now: T0 });
const reply = (processType: ProcessTypeT, status: ReplyStatus, message?: string): CreateOrderReply => ({ requestId: 'o-1', processType, status, ...(message ? { message } : {}) });

/** Drives an order through replies, as the reply handler does (store the advanced order, ignore the rest). */
function drive(order: Order, ...replies: CreateOrderReply[]): { order: Order; steps: SagaStep[] } {
  const steps: SagaStep[] = [];
  for (const r of replies) {
    const step = onReply(order, r, T1);
    steps.push(step);
    if (step.kind === 'advance') order = step.order;
  }
  return { order, steps };
}

const inState = (status: OrderStatus): Order => ({ ...started().order, status });

describe('starting an order', () => {
  it('stores it as STOCK_RESERVE_ALLOCATE_DOING with its total and asks stock to reserve every line', () => {
    const { order, command } = started();
    expect(order).toMatchObject({ orderId: 'o-1', userId: 'A00001', status: 'STOCK_RESERVE_ALLOCATE_DOING', totalPrice: 1800, history: [{ status: 'STOCK_RESERVE_ALLOCATE_DOING', at: T0 }] });
    expect(command).toEqual({
      topic: 'stock-reserve-allocate',
      data: { requestId: 'o-1', products: [{ productId: '100', quantity: 2 }, { productId: '101', quantity: 1 }] },
    });
  });

  it('ends in ERROR when the first command cannot be published', () => {
    const failed = failToStart(started().order, 'pubsub down', T1);
    expect(failed).toMatchObject({ status: 'ERROR', message: 'pubsub down' });
    expect(commandFor(failed)).toBeUndefined();
  });
});

describe('the happy path', () => {
  it('stock reserved → PAYMENT_CREATE_DOING, asking payment for the total', () => {
    const step = onReply(started().order, reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200), T1);
    expect(step).toMatchObject({ kind: 'advance', order: { status: 'PAYMENT_CREATE_DOING' } });
    expect(step.kind === 'advance' && step.command).toEqual({ topic: 'payment-create', data: { requestId: 'o-1', userId: 'A00001', totalPrice: 1800 } });
  });

  it('payment created → STOCK_APPROVE_ALLOCATE_DOING, asking stock to approve', () => {
    const step = onReply(inState(OrderStatus.PAYMENT_CREATE_DOING), reply(ProcessType.PAYMENT_CREATE, 200), T1);
    expect(step).toEqual({ kind: 'advance', order: expect.objectContaining({ status: 'STOCK_APPROVE_ALLOCATE_DOING' }), command: { topic: 'stock-approve-allocate', data: { requestId: 'o-1' } } });
  });

  it('stock approved → DELIVERY_IN_PREPARATION, with nothing more to send', () => {
    const step = onReply(inState(OrderStatus.STOCK_APPROVE_ALLOCATE_DOING), reply(ProcessType.STOCK_APPROVE_ALLOCATE, 200), T1);
    expect(step).toEqual({ kind: 'advance', order: expect.objectContaining({ status: 'DELIVERY_IN_PREPARATION' }), command: undefined });
  });

  it('records every state with the reply that caused it', () => {
    const { order } = drive(
      started().order,
      reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200),
      reply(ProcessType.PAYMENT_CREATE, 200),
      reply(ProcessType.STOCK_APPROVE_ALLOCATE, 200),
    );
    expect(order.history).toEqual([
      { status: 'STOCK_RESERVE_ALLOCATE_DOING', at: T0 },
      { status: 'PAYMENT_CREATE_DOING', at: T1, cause: { processType: 'STOCK_RESERVE_ALLOCATE', status: 200 } },
      { status: 'STOCK_APPROVE_ALLOCATE_DOING', at: T1, cause: { processType: 'PAYMENT_CREATE', status: 200 } },
      { status: 'DELIVERY_IN_PREPARATION', at: T1, cause: { processType: 'STOCK_APPROVE_ALLOCATE', status: 200 } },
    ]);
  });
});

describe('compensation, in reverse order', () => {
  it('stock cannot reserve → ERROR, nothing to undo', () => {
    const step = onReply(started().order, reply(ProcessType.STOCK_RESERVE_ALLOCATE, 400, 'Lack of stock: 100'), T1);
    expect(step).toEqual({ kind: 'advance', order: expect.objectContaining({ status: 'ERROR', message: 'Lack of stock: 100' }), command: undefined });
  });

  it('payment fails → STOCK_REJECT_ALLOCATE_DOING, asking stock to give the reservation back', () => {
    const step = onReply(inState(OrderStatus.PAYMENT_CREATE_DOING), reply(ProcessType.PAYMENT_CREATE, 400, 'over the limit'), T1);
    expect(step).toEqual({
      kind: 'advance',
      order: expect.objectContaining({ status: 'STOCK_REJECT_ALLOCATE_DOING', message: 'over the limit' }),
      command: { topic: 'stock-reject-allocate', data: { requestId: 'o-1' } },
    });
  });

  it('stock cannot approve → PAYMENT_REJECT_CREATE_DOING, asking payment to cancel first', () => {
    const step = onReply(inState(OrderStatus.STOCK_APPROVE_ALLOCATE_DOING), reply(ProcessType.STOCK_APPROVE_ALLOCATE, 400), T1);
    expect(step).toEqual({
      kind: 'advance',
      order: expect.objectContaining({ status: 'PAYMENT_REJECT_CREATE_DOING' }),
      command: { topic: 'payment-reject-create', data: { requestId: 'o-1' } },
    });
  });

  it('payment cancelled → STOCK_REJECT_ALLOCATE_DOING, then stock', () => {
    const step = onReply(inState(OrderStatus.PAYMENT_REJECT_CREATE_DOING), reply(ProcessType.PAYMENT_REJECT_CREATE, 200), T1);
    expect(step).toEqual({
      kind: 'advance',
      order: expect.objectContaining({ status: 'STOCK_REJECT_ALLOCATE_DOING' }),
      command: { topic: 'stock-reject-allocate', data: { requestId: 'o-1' } },
    });
  });

  it('stock gave the reservation back → REJECT', () => {
    const step = onReply(inState(OrderStatus.STOCK_REJECT_ALLOCATE_DOING), reply(ProcessType.STOCK_REJECT_ALLOCATE, 200), T1);
    expect(step).toEqual({ kind: 'advance', order: expect.objectContaining({ status: 'REJECT' }), command: undefined });
  });

  it('a failed payment cancellation → ERROR', () => {
    expect(onReply(inState(OrderStatus.PAYMENT_REJECT_CREATE_DOING), reply(ProcessType.PAYMENT_REJECT_CREATE, 400), T1)).toMatchObject({
      kind: 'advance',
      order: { status: 'ERROR' },
      command: undefined,
    });
  });

  it('a failed stock rejection → ERROR', () => {
    expect(onReply(inState(OrderStatus.STOCK_REJECT_ALLOCATE_DOING), reply(ProcessType.STOCK_REJECT_ALLOCATE, 400), T1)).toMatchObject({
      kind: 'advance',
      order: { status: 'ERROR' },
      command: undefined,
    });
  });

  it('walks the whole compensation after an approval failure: payment, then stock, then REJECT', () => {
    const { order, steps } = drive(
      started().order,
      reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200),
      reply(ProcessType.PAYMENT_CREATE, 200),
      reply(ProcessType.STOCK_APPROVE_ALLOCATE, 400),
      reply(ProcessType.PAYMENT_REJECT_CREATE, 200),
      reply(ProcessType.STOCK_REJECT_ALLOCATE, 200),
    );
    expect(order.history.map((h) => h.status)).toEqual([
      'STOCK_RESERVE_ALLOCATE_DOING',
      'PAYMENT_CREATE_DOING',
      'STOCK_APPROVE_ALLOCATE_DOING',
      'PAYMENT_REJECT_CREATE_DOING',
      'STOCK_REJECT_ALLOCATE_DOING',
      'REJECT',
    ]);
    expect(steps.map((s) => (s.kind === 'advance' ? s.command?.topic : s.kind))).toEqual([
      'payment-create',
      'stock-approve-allocate',
      'payment-reject-create',
      'stock-reject-allocate',
      undefined,
    ]);
  });
});

describe('replies that do not move the saga', () => {
  it('ignores a reply for another step than the one awaited', () => {
    expect(onReply(started().order, reply(ProcessType.PAYMENT_CREATE, 200), T1).kind).toBe('ignore');
  });

  it('ignores replies once the order is final', () => {
    for (const status of [OrderStatus.DELIVERY_IN_PREPARATION, OrderStatus.REJECT, OrderStatus.ERROR]) {
      expect(onReply(inState(status), reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200), T1).kind).toBe('ignore');
    }
  });

  it('answers a repeat of the reply that led to the current state by sending the outstanding command again', () => {
    const { order } = drive(started().order, reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200));
    expect(onReply(order, reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200), T1)).toEqual({
      kind: 'resend',
      command: { topic: 'payment-create', data: { requestId: 'o-1', userId: 'A00001', totalPrice: 1800 } },
    });
  });

  it('changes nothing when every reply of a run arrives twice', () => {
    const once = drive(started().order, reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200), reply(ProcessType.PAYMENT_CREATE, 400), reply(ProcessType.STOCK_REJECT_ALLOCATE, 200));
    const twice = drive(
      started().order,
      reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200),
      reply(ProcessType.STOCK_RESERVE_ALLOCATE, 200),
      reply(ProcessType.PAYMENT_CREATE, 400),
      reply(ProcessType.PAYMENT_CREATE, 400),
      reply(ProcessType.STOCK_REJECT_ALLOCATE, 200),
      reply(ProcessType.STOCK_REJECT_ALLOCATE, 200),
    );
    expect(twice.order).toEqual(once.order);
    expect(twice.order.status).toBe('REJECT');
  });

  it('has one awaited reply per waiting state', () => {
    expect(Object.values(SAGA).map((s) => s.expects).sort()).toEqual(Object.values(ProcessType).sort());
  });
});
