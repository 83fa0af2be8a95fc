/**
 * nautible's order saga (orchestrated by `order`): the states an order goes through, the allocation states of
 * stock's semantic lock, and the messages on the saga topics. Every participant answers on `create-order-reply`.
 */

/** An order's state. `*_DOING` states wait for one participant's reply; the last three are final. */
export const OrderStatus = {
  STOCK_RESERVE_ALLOCATE_DOING: 'STOCK_RESERVE_ALLOCATE_DOING',
  PAYMENT_CREATE_DOING: 'PAYMENT_CREATE_DOING',
  STOCK_APPROVE_ALLOCATE_DOING: 'STOCK_APPROVE_ALLOCATE_DOING',
  DELIVERY_IN_PREPARATION: 'DELIVERY_IN_PREPARATION',
  /** Compensation: the payment is being cancelled. */
  PAYMENT_REJECT_CREATE_DOING: 'PAYMENT_REJECT_CREATE_DOING',
  /** Compensation: the stock reservation is being released. */
  STOCK_REJECT_ALLOCATE_DOING: 'STOCK_REJECT_ALLOCATE_DOING',
  /** Compensated: everything done so far was undone. */
  REJECT: 'REJECT',
  /** Failed with nothing to undo (the first step failed), or a compensation itself failed. */
  ERROR: 'ERROR',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = [OrderStatus.DELIVERY_IN_PREPARATION, OrderStatus.REJECT, OrderStatus.ERROR];

/** Which step a reply answers (nautible's `CreateOrderReply.processType`). */
export const ProcessType = {
  STOCK_RESERVE_ALLOCATE: 'STOCK_RESERVE_ALLOCATE',
  STOCK_APPROVE_ALLOCATE: 'STOCK_APPROVE_ALLOCATE',
  STOCK_REJECT_ALLOCATE: 'STOCK_REJECT_ALLOCATE',
  PAYMENT_CREATE: 'PAYMENT_CREATE',
  PAYMENT_REJECT_CREATE: 'PAYMENT_REJECT_CREATE',
} as const;
export type ProcessType = (typeof ProcessType)[keyof typeof ProcessType];

/** Stock's semantic lock: a reservation holds the quantity (PENDING) until it is approved or rejected. */
export const AllocateStatus = {
  PENDING: 'PENDING',
  ALLOCATED: 'ALLOCATED',
  REJECTED: 'REJECTED',
} as const;
export type AllocateStatus = (typeof AllocateStatus)[keyof typeof AllocateStatus];

export const PaymentStatus = {
  CREATED: 'CREATED',
  /** The payment rule refused it (e.g. over the limit). */
  FAILED: 'FAILED',
  /** Cancelled by the saga's compensation (or rejected before it was created). */
  REJECTED: 'REJECTED',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

/** 200: the step succeeded; 400: it failed, and the orchestrator compensates. */
export type ReplyStatus = 200 | 400;

/** `create-order-reply`: one topic for every participant's answer. `requestId` is the order id. */
export interface CreateOrderReply {
  requestId: string;
  status: ReplyStatus;
  processType: ProcessType;
  message?: string;
}

export interface AllocateProduct {
  productId: string;
  quantity: number;
}

/** `stock-reserve-allocate`: hold these quantities for the order. */
export interface StockReserveAllocateRequest {
  requestId: string;
  products: AllocateProduct[];
}

/** `stock-approve-allocate`: the order is paid; the held quantities are sold. */
export interface StockApproveAllocateRequest {
  requestId: string;
}

/** `stock-reject-allocate`: compensation; give the held quantities back. */
export interface StockRejectAllocateRequest {
  requestId: string;
}

/** `payment-create`: charge the order's total. */
export interface PaymentCreateRequest {
  requestId: string;
  userId: string;
  totalPrice: number;
}

/** `payment-reject-create`: compensation; cancel the payment. */
export interface PaymentRejectCreateRequest {
  requestId: string;
}
