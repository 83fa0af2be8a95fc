import type { AllocateProduct, AllocateStatus, OrderStatus, PaymentStatus, ProcessType, ReplyStatus } from './saga';

/** The request header that names the logged-in user (cart and order). */
export const USER_ID_HEADER = 'x-user-id';
/** The article's fixed login user, used when a request names none. */
export const DEMO_USER_ID = 'A00001';

/** One line of a cart, as the article stores it in the `cart` state store. */
export interface CartItem {
  product_id: string;
  quantity: number;
}

/** `GET /cart` and every cart change. `etag` is null for a cart that was never saved. */
export interface CartView {
  userId: string;
  items: CartItem[];
  etag: string | null;
}

/** 409 from a cart change whose `If-Match` etag is stale: the cart as it is now. */
export interface CartConflict {
  statusCode: 409;
  message: string;
  cart: CartView;
}

/** A product with its stock level (`GET /stock/products`). `quantity` is what can still be reserved. */
export interface Product {
  productId: string;
  name: string;
  price: number;
  quantity: number;
  /** Held by PENDING reservations (stock's semantic lock). */
  reserved: number;
}

/** A reservation in stock, by saga request id (`GET /stock/allocations/:requestId`). */
export interface Allocation {
  requestId: string;
  status: AllocateStatus;
  products: AllocateProduct[];
  /** Whether the reserve step held the quantities (a repeated reserve request gets the same answer). */
  reserveSucceeded: boolean;
  message?: string;
  updatedAt: string;
}

export interface Payment {
  requestId: string;
  userId: string;
  totalPrice: number;
  status: PaymentStatus;
  message?: string;
  updatedAt: string;
}

export interface OrderItem {
  productId: string;
  quantity: number;
  /** Unit price when the order was taken. */
  price: number;
}

/** One entry of an order's state history; `cause` names the reply that moved it. */
export interface OrderHistoryEntry {
  status: OrderStatus;
  at: string;
  message?: string;
  cause?: { processType: ProcessType; status: ReplyStatus };
}

/** An order (`GET /orders/:id`). Its id is also the saga's request id. */
export interface Order {
  orderId: string;
  userId: string;
  items: OrderItem[];
  totalPrice: number;
  status: OrderStatus;
  message?: string;
  history: OrderHistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

/** What stock and payment recorded of the article's `order` message (`GET /order/received`). */
export interface ReceivedDemoOrders {
  count: number;
  messages: { data: unknown; eventId?: string; receivedAt: string }[];
}

/** `POST /orders`: the items to order, or none to order the user's cart. */
export interface CreateOrderRequest {
  items?: AllocateProduct[];
}
