/**
 * Extras of `@EventPattern(topic, extras)` for the Dapr transport. Every field is optional: the transport's
 * pub/sub name and a route derived from it and the topic are the defaults.
 */
export interface DaprSubscriptionExtras {
  /** The app path the sidecar delivers to (a `Subscription` file's `route`). */
  route?: string;
  pubsubName?: string;
  deadLetterTopic?: string;
  /** Subscription metadata, e.g. `{ rawPayload: 'true' }`. */
  metadata?: Record<string, string>;
}

/** One item of `GET /dapr/subscribe` (daprd's v1 programmatic subscription). */
export interface ProgrammaticSubscription {
  pubsubname: string;
  topic: string;
  route: string;
  deadLetterTopic?: string;
  metadata?: Record<string, string>;
}

export interface ResolvedSubscription extends ProgrammaticSubscription {
  /** Declared by a `Subscription` file, so it is served but not listed in `/dapr/subscribe`. */
  declarative: boolean;
}

export function defaultRoute(pubsubName: string, topic: string): string {
  return `/events/${encodeURIComponent(pubsubName)}/${topic.split('/').map(encodeURIComponent).join('/')}`;
}

export function normaliseRoute(route: string): string {
  // daprd adds the leading slash a route lacks (the article's programmatic route is plain `order`).
  return route.startsWith('/') ? route : `/${route}`;
}
