import {
  FINAL_ORDER_STATUSES,
  OrderStatus,
  ProcessType,
  TOPICS,
  type CreateOrderReply,
  type Order,
  type OrderHistoryEntry,
  type OrderItem,
  type PaymentCreateRequest,
  type PaymentRejectCreateRequest,
  type StockApproveAllocateRequest,
  type StockRejectAllocateRequest,
  type StockReserveAllocateRequest,
  type Topic,
} from '@repo/contracts';

/**
 * nautible's order saga (orchestration) as pure functions: no I/O, so every transition is a unit test.
 * Each `*_DOING` state waits for exactly one participant's reply; its success moves the saga forward, its
 * failure starts compensation in reverse order. The state alone says which command is outstanding.
 */

type WaitingStatus = Exclude<OrderStatus, 'DELIVERY_IN_PREPARATION' | 'REJECT' | 'ERROR'>;

interface Step {
  expects: ProcessType;
  onSuccess: OrderStatus;
  onFailure: OrderStatus;
}

export const SAGA: Readonly<Record<WaitingStatus, Step>> = {
  [OrderStatus.STOCK_RESERVE_ALLOCATE_DOING]: {
    expects: ProcessType.STOCK_RESERVE_ALLOCATE,
    onSuccess: OrderStatus.PAYMENT_CREATE_DOING,
    // Nothing was reserved, so nothing to undo.
    onFailure: OrderStatus.ERROR,
  },
  [OrderStatus.PAYMENT_CREATE_DOING]: {
    expects: ProcessType.PAYMENT_CREATE,
    onSuccess: OrderStatus.STOCK_APPROVE_ALLOCATE_DOING,
    onFailure: OrderStatus.STOCK_REJECT_ALLOCATE_DOING,
  },
  [OrderStatus.STOCK_APPROVE_ALLOCATE_DOING]: {
    expects: ProcessType.STOCK_APPROVE_ALLOCATE,
    onSuccess: OrderStatus.DELIVERY_IN_PREPARATION,
    onFailure: OrderStatus.PAYMENT_REJECT_CREATE_DOING,
  },
  [OrderStatus.PAYMENT_REJECT_CREATE_DOING]: {
    expects: ProcessType.PAYMENT_REJECT_CREATE,
    onSuccess: OrderStatus.STOCK_REJECT_ALLOCATE_DOING,
    // A compensation that fails cannot be compensated.
    onFailure: OrderStatus.ERROR,
  },
  [OrderStatus.STOCK_REJECT_ALLOCATE_DOING]: {
    expects: ProcessType.STOCK_REJECT_ALLOCATE,
    onSuccess: OrderStatus.REJECT,
    onFailure: OrderStatus.ERROR,
  },
};

export type SagaCommandData =
  | StockReserveAllocateRequest
  | StockApproveAllocateRequest
  | StockRejectAllocateRequest
  | PaymentCreateRequest
  | PaymentRejectCreateRequest;

export interface SagaCommand {
  topic: Topic;
  data: SagaCommandData;
}

export type SagaStep =
  /** Store the order (under the etag it was read with), then publish the command, if any. */
  | { kind: 'advance'; order: Order; command?: SagaCommand }
  /** A repeat of the reply that led to the current state: send the outstanding command again, change nothing. */
  | { kind: 'resend'; command: SagaCommand }
  | { kind: 'ignore'; reason: string };

export function isFinal(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.includes(status);
}

/** The command the order's state waits on; none in a final state. */
export function commandFor(order: Order): SagaCommand | undefined {
  const requestId = order.orderId;
  switch (order.status) {
    case OrderStatus.STOCK_RESERVE_ALLOCATE_DOING:
      return { topic: TOPICS.stockReserveAllocate, data: { requestId, products: order.items.map(({ productId, quantity }) => ({ productId, quantity })) } };
    case OrderStatus.PAYMENT_CREATE_DOING:
      return { topic: TOPICS.paymentCreate, data: { requestId, userId: order.userId, totalPrice: order.totalPrice } };
    case OrderStatus.STOCK_APPROVE_ALLOCATE_DOING:
      return { topic: TOPICS.stockApproveAllocate, data: { requestId } };
    case OrderStatus.PAYMENT_REJECT_CREATE_DOING:
      return { topic: TOPICS.paymentRejectCreate, data: { requestId } };
    case OrderStatus.STOCK_REJECT_ALLOCATE_DOING:
      return { topic: TOPICS.stockRejectAllocate, data: { requestId } };
    default:
      return undefined;
  }
}

export function startOrder(input: { orderId: string; userId: string; items: OrderItem[]; now: string }): { order: Order; command: SagaCommand } {
  const status = OrderStatus.STOCK_RESERVE_ALLOCATE_DOING;
  const order: Order = {
    orderId: input.orderId,
    userId: input.userId,
    items: input.items,
    totalPrice: input.items.reduce((sum, i) => sum + i.price * i.quantity, 0),
    status,
    history: [{ status, at: input.now }],
    createdAt: input.now,
    updatedAt: input.now,
  };
  return { order, command: commandFor(order)! };
}

export function onReply(order: Order, reply: CreateOrderReply, now: string): SagaStep {
  const step = isFinal(order.status) ? undefined : SAGA[order.status as WaitingStatus];
  if (step && reply.processType === step.expects) {
    const status = reply.status === 200 ? step.onSuccess : step.onFailure;
    const entry: OrderHistoryEntry = { status, at: now, cause: { processType: reply.processType, status: reply.status } };
    if (reply.message) entry.message = reply.message;
    const next: Order = { ...order, status, history: [...order.history, entry], updatedAt: now };
    if (reply.status !== 200 && reply.message) next.message = reply.message;
    return { kind: 'advance', order: next, command: commandFor(next) };
  }
  const cause = order.history.at(-1)?.cause;
  if (cause && cause.processType === reply.processType && cause.status === reply.status) {
    // The publish after the last transition may have failed and this is its redelivered cause: send again.
    const command = commandFor(order);
    return command ? { kind: 'resend', command } : { kind: 'ignore', reason: `repeated ${reply.processType} reply; ${order.status} is final` };
  }
  return { kind: 'ignore', reason: `${reply.processType} ${reply.status} does not answer ${order.status}` };
}

/** The first command could not be published: the saga never started, and there is nothing to undo. */
export function failToStart(order: Order, message: string, now: string): Order {
  const status = OrderStatus.ERROR;
  return { ...order, status, message, history: [...order.history, { status, at: now, message }], updatedAt: now };
}
