/**
 * Every app of the template: its Dapr app id, the port it listens on, and its health route. `dapr.yaml`, the
 * Kubernetes manifests and the infrastructure are checked against this list.
 */
export const APPS = {
  front: { appId: 'front', appPort: 3000, daprHttpPort: 3500 },
  'svc-a': { appId: 'svc-a', appPort: 5001, daprHttpPort: 3501 },
  'svc-b': { appId: 'svc-b', appPort: 5002, daprHttpPort: 3502 },
  cart: { appId: 'cart', appPort: 5003, daprHttpPort: 3503 },
  order: { appId: 'order', appPort: 5004, daprHttpPort: 3504 },
  stock: { appId: 'stock', appPort: 5005, daprHttpPort: 3505 },
  payment: { appId: 'payment', appPort: 5006, daprHttpPort: 3506 },
} as const;

export type AppName = keyof typeof APPS;

/** Every app answers this route with 200 once it can serve (after its sidecar is reachable). */
export const HEALTH_ROUTE = '/healthz';

/**
 * Every app answers this route with its own sidecar's `GET /v1.0/metadata` (components, subscriptions), so the
 * operations page can show each sidecar through service invocation: invocation reaches apps, never their sidecars.
 */
export const SIDECAR_METADATA_ROUTE = '/sidecar/metadata';
