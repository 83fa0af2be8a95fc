import { FINAL_ORDER_STATUSES, OrderStatus, type AppName } from '@repo/contracts';

/** The saga participant an order waits for in each `*_DOING` state (nautible's order saga). */
const PARTICIPANT: Partial<Record<OrderStatus, AppName>> = {
  [OrderStatus.STOCK_RESERVE_ALLOCATE_DOING]: 'stock',
  [OrderStatus.PAYMENT_CREATE_DOING]: 'payment',
  [OrderStatus.STOCK_APPROVE_ALLOCATE_DOING]: 'stock',
  [OrderStatus.PAYMENT_REJECT_CREATE_DOING]: 'payment',
  [OrderStatus.STOCK_REJECT_ALLOCATE_DOING]: 'stock',
};

export function isFinal(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.includes(status);
}

/** Who must answer next for the order to move on; undefined once the order is final. */
export function waitingFor(status: OrderStatus): AppName | undefined {
  return PARTICIPANT[status];
}

/** What the shopper reads while the saga waits for an app that does not answer: the order is not lost. */
export function stalledNotice(label: string): string {
  return `${label} is not answering; your order will continue when it is back.`;
}
