/**
 * The JSON the front's backend answers its pages with (`/api/...`), beside the contracts' DTOs it passes on
 * unchanged (Product, CartView, Order). Types only: the browser and the server both compile against them.
 */
import type { AppName, Order } from '@repo/contracts';

/** 503 from `/api/...` when an app the page needs cannot be reached through the sidecar. */
export interface NotAnsweringBody {
  statusCode: 503;
  appId: AppName;
  /** Plain language: "Payment is not answering." */
  message: string;
  /** What the sidecar said, for the curious. */
  detail: string;
}

/** `GET /api/orders/:orderId`: the order and, while it waits for an app that is down, a notice saying so. */
export interface OrderProgressView {
  order: Order;
  final: boolean;
  /** The app the saga waits for now (while the order is in a `*_DOING` state). */
  waitingFor?: AppName;
  /** "Payment is not answering; your order will continue when it is back." */
  notice?: string;
}

export type HealthState = 'healthy' | 'unhealthy' | 'not-answering';

export interface AppHealthView {
  state: HealthState;
  /** What the health route answered, or why nothing did. */
  detail: string;
}

export interface ComponentView {
  name: string;
  type: string;
  version: string;
}

export interface SubscriptionView {
  pubsubname: string;
  topic: string;
  /** The app routes messages go to (one per routing rule). */
  routes: string[];
  type: string;
}

/** One app on the operations page: its health, and its sidecar's components and subscriptions. */
export interface AppStatusView {
  appId: AppName;
  label: string;
  health: AppHealthView;
  /** From its sidecar's `/v1.0/metadata`, which the app serves on `/sidecar/metadata`; absent when unavailable. */
  sidecar?: { runtimeVersion: string; components: ComponentView[]; subscriptions: SubscriptionView[] };
  /** Why the sidecar's metadata is missing. */
  sidecarProblem?: string;
}

export const DEMO_NAMES = ['invoke-svc-a', 'cart-save', 'cart-get', 'publish-order'] as const;
export type DemoName = (typeof DEMO_NAMES)[number];

/** One call a demo made, and what came back. */
export interface DemoCallView {
  /** e.g. `GET /api-a1 on svc-a`. */
  request: string;
  status: number;
  contentType: string;
  body: string;
}

/** `POST /api/demos/:name`: the calls the demo made, in order (publish also shows what the subscribers received). */
export interface DemoResultView {
  demo: DemoName;
  calls: DemoCallView[];
}

/** `GET /api/operations/orders`. */
export interface RecentOrdersView {
  orders: Order[];
}
