import type { OrderStatus } from '@repo/contracts';

/** Each saga state, as the shopper reads it. */
export const STATUS_TEXT: Record<OrderStatus, string> = {
  STOCK_RESERVE_ALLOCATE_DOING: 'Reserving your items in stock',
  PAYMENT_CREATE_DOING: 'Items reserved; taking payment',
  STOCK_APPROVE_ALLOCATE_DOING: 'Payment taken; confirming your items',
  DELIVERY_IN_PREPARATION: 'Delivery in preparation',
  PAYMENT_REJECT_CREATE_DOING: 'Something went wrong; cancelling the payment',
  STOCK_REJECT_ALLOCATE_DOING: 'Putting the reserved items back in stock',
  REJECT: 'Cancelled; everything was undone',
  ERROR: 'Could not be completed',
};

export interface Outcome {
  tone: 'success' | 'error';
  title: string;
  detail: string;
}

/** What a finished order means for the shopper; undefined while the saga still runs. */
export function outcomeOf(status: OrderStatus, reason: string | undefined): Outcome | undefined {
  const because = reason ? `Reason: ${reason}` : 'No reason was given.';
  switch (status) {
    case 'DELIVERY_IN_PREPARATION':
      return { tone: 'success', title: 'Thank you! Your order is confirmed.', detail: 'It has been paid for, and its delivery is being prepared.' };
    case 'REJECT':
      return { tone: 'error', title: 'Your order was cancelled.', detail: `${because} Nothing was charged, and the reserved items are back in stock.` };
    case 'ERROR':
      return { tone: 'error', title: 'Your order could not be placed.', detail: `${because} Nothing was charged.` };
    default:
      return undefined;
  }
}
