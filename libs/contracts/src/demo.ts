/** The article's demos (nautible/hiroba-examples-dapr), kept to the letter. */
import { PUBSUB_NAME, TOPICS } from './topics';

/** svc-a invokes this method of svc-b through its sidecar. */
export const API_B1_METHOD = 'api-b1';
export const API_B1_RESPONSE = 'svc-b api-b1 called!';

/** What order publishes to `order-pubsub/order` on its demo route. */
export const DEMO_ORDER_MESSAGE = { id: '0001', name: 'sample' } as const;
/** The article's order app answers its demo route with this text. */
export const DEMO_ORDER_RESPONSE = 'Hello Hiroba';

/** The article's declarative subscription (`Subscription` file in each components folder). */
export const DEMO_SUBSCRIPTION = {
  name: 'order-subscription',
  pubsubname: PUBSUB_NAME,
  topic: TOPICS.order,
  route: '/order',
  scopes: ['stock', 'payment'],
} as const;
