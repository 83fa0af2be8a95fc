import { OrderStatus, ProcessType, TOPICS, type CreateOrderReply, type Order, type Topic } from '@repo/contracts';
import type { RunningSystem, SystemApp } from './system';

/** One message the saga sent, and the app that handles it. */
export interface SagaMessage {
  topic: Topic;
  data: object;
  handler: SystemApp;
}

/** The command each waiting state sent, the step its reply answers, and who handles it. */
const COMMANDS: Partial<Record<OrderStatus, { topic: Topic; processType: ProcessType; handler: 'stock' | 'payment'; data: (o: Order) => object }>> = {
  [OrderStatus.STOCK_RESERVE_ALLOCATE_DOING]: {
    topic: TOPICS.stockReserveAllocate,
    processType: ProcessType.STOCK_RESERVE_ALLOCATE,
    handler: 'stock',
    data: (o) => ({ requestId: o.orderId, products: o.items.map(({ productId, quantity }) => ({ productId, quantity })) }),
  },
  [OrderStatus.PAYMENT_CREATE_DOING]: {
    topic: TOPICS.paymentCreate,
    processType: ProcessType.PAYMENT_CREATE,
    handler: 'payment',
    data: (o) => ({ requestId: o.orderId, userId: o.userId, totalPrice: o.totalPrice }),
  },
  [OrderStatus.STOCK_APPROVE_ALLOCATE_DOING]: {
    topic: TOPICS.stockApproveAllocate,
    processType: ProcessType.STOCK_APPROVE_ALLOCATE,
    handler: 'stock',
    data: (o) => ({ requestId: o.orderId }),
  },
  [OrderStatus.PAYMENT_REJECT_CREATE_DOING]: {
    topic: TOPICS.paymentRejectCreate,
    processType: ProcessType.PAYMENT_REJECT_CREATE,
    handler: 'payment',
    data: (o) => ({ requestId: o.orderId }),
  },
  [OrderStatus.STOCK_REJECT_ALLOCATE_DOING]: {
    topic: TOPICS.stockRejectAllocate,
    processType: ProcessType.STOCK_REJECT_ALLOCATE,
    handler: 'stock',
    data: (o) => ({ requestId: o.orderId }),
  },
};

/**
 * Every message a finished saga used, rebuilt from the order's history: the command each waiting state sent
 * (the same payload the orchestrator builds) and each participant's reply (the `cause` of every transition).
 */
export function sagaMessages(order: Order): SagaMessage[] {
  const messages: SagaMessage[] = [];
  for (const entry of order.history) {
    const command = COMMANDS[entry.status];
    if (command) messages.push({ topic: command.topic, data: command.data(order), handler: command.handler });
    if (entry.cause) {
      const reply: CreateOrderReply = { requestId: order.orderId, processType: entry.cause.processType, status: entry.cause.status };
      if (entry.message) reply.message = entry.message;
      messages.push({ topic: TOPICS.createOrderReply, data: reply, handler: 'order' });
    }
  }
  return messages;
}

/**
 * What shows that an app handled a message about `orderId`: the line it logs for it. Stock and payment log every
 * reply they send (`[OrderReplies] STOCK_RESERVE_ALLOCATE <id>: 200`), order logs every reply it handles, taken
 * or ignored (`order <id>: ...`). These follow the apps' log lines; the suite counts them, it never reads state from them.
 */
export function handledLines(system: RunningSystem, app: SystemApp, orderId: string): number {
  const needle = app === 'order' ? `order ${orderId}: ` : `[OrderReplies] `;
  return system.logLines(app).filter((line) => line.includes(needle) && line.includes(` ${orderId}: `)).length;
}

/**
 * How many handled lines each app has logged about the order once its saga ran and `messages` (all of its
 * messages) were delivered a second time: at stock and payment one per command and delivery (the reply it sends),
 * at order one per reply it received: the saga's own, the repeated ones, and the participants' answers to the
 * repeated commands. Counted from the start, so a line of the first run that is printed late cannot pass for one
 * of the second.
 */
export function handledLinesAfterRepeat(messages: SagaMessage[]): Record<'stock' | 'payment' | 'order', number> {
  const count = (app: SystemApp) => messages.filter((m) => m.handler === app).length;
  const [stock, payment, replies] = [count('stock'), count('payment'), count('order')];
  return { stock: 2 * stock, payment: 2 * payment, order: 2 * replies + stock + payment };
}
