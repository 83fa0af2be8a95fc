/** The one pub/sub component the apps use; which broker backs it is decided by the Component file alone. */
export const PUBSUB_NAME = 'order-pubsub';

/** Every topic, by purpose. The article's demo topic first, then nautible's order saga. */
export const TOPICS = {
  /** The article's demo: order publishes `{"id":"0001","name":"sample"}`, stock and payment receive it. */
  order: 'order',
  stockReserveAllocate: 'stock-reserve-allocate',
  stockApproveAllocate: 'stock-approve-allocate',
  stockRejectAllocate: 'stock-reject-allocate',
  paymentCreate: 'payment-create',
  paymentRejectCreate: 'payment-reject-create',
  createOrderReply: 'create-order-reply',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Who publishes each topic and who consumes it (by app id). Infrastructure derives queues and IAM from this. */
export const TOPIC_FLOW: Record<Topic, { publishers: readonly string[]; subscribers: readonly string[] }> = {
  [TOPICS.order]: { publishers: ['order'], subscribers: ['stock', 'payment'] },
  [TOPICS.stockReserveAllocate]: { publishers: ['order'], subscribers: ['stock'] },
  [TOPICS.stockApproveAllocate]: { publishers: ['order'], subscribers: ['stock'] },
  [TOPICS.stockRejectAllocate]: { publishers: ['order'], subscribers: ['stock'] },
  [TOPICS.paymentCreate]: { publishers: ['order'], subscribers: ['payment'] },
  [TOPICS.paymentRejectCreate]: { publishers: ['order'], subscribers: ['payment'] },
  [TOPICS.createOrderReply]: { publishers: ['stock', 'payment'], subscribers: ['order'] },
};

/** State stores by name (Component `metadata.name`). */
export const STATE_STORES = {
  /** The article's cart store. */
  cart: 'cart',
  order: 'order-store',
  stock: 'stock-store',
  payment: 'payment-store',
} as const;

export const SECRET_STORE_NAME = 'secretstore';
