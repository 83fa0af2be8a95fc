/** Where a resource came from, so every error can name the file and the YAML document. */
export interface ResourceOrigin {
  file: string;
  /** 1-based index of the YAML document inside the file. */
  document: number;
}

export interface MetadataItem {
  name: string;
  value?: string;
  secretKeyRef?: { name: string; key: string };
  envRef?: string;
}

export interface ComponentResource {
  kind: 'Component';
  name: string;
  namespace?: string;
  type: string;
  version: string;
  initTimeoutMs: number;
  ignoreErrors: boolean;
  metadata: MetadataItem[];
  secretStore?: string;
  scopes: string[];
  origin: ResourceOrigin;
}

export interface RouteRule {
  /** CEL expression over `event`; absent for the default route. */
  match?: string;
  path: string;
}

export interface BulkSubscribeSettings {
  enabled: boolean;
  maxMessagesCount?: number;
  maxAwaitDurationMs?: number;
}

export interface SubscriptionResource {
  kind: 'Subscription';
  apiVersion: 'dapr.io/v1alpha1' | 'dapr.io/v2alpha1';
  name: string;
  namespace?: string;
  pubsubname: string;
  topic: string;
  rules: RouteRule[];
  metadata: Record<string, string>;
  deadLetterTopic?: string;
  bulkSubscribe?: BulkSubscribeSettings;
  scopes: string[];
  origin: ResourceOrigin;
}

export interface SecretScope {
  storeName: string;
  defaultAccess: 'allow' | 'deny';
  allowedSecrets: string[];
  deniedSecrets: string[];
}

export interface ConfigurationResource {
  kind: 'Configuration';
  name: string;
  namespace?: string;
  tracingSamplingRate?: string;
  features: { name: string; enabled: boolean }[];
  secretScopes: SecretScope[];
  apiLogging?: { enabled: boolean; omitHealthChecks: boolean };
  origin: ResourceOrigin;
}

export interface RetryPolicy {
  policy: 'constant' | 'exponential';
  durationMs: number;
  maxIntervalMs: number;
  /** -1 retries forever, 0 never. */
  maxRetries: number;
  httpStatusCodes?: string;
}

export interface CircuitBreakerPolicy {
  maxRequests: number;
  intervalMs: number;
  timeoutMs: number;
  trip: string;
}

export interface ResiliencyTarget {
  timeout?: string;
  retry?: string;
  circuitBreaker?: string;
}

export interface ResiliencyResource {
  kind: 'Resiliency';
  name: string;
  namespace?: string;
  timeoutsMs: Record<string, number>;
  retries: Record<string, RetryPolicy>;
  circuitBreakers: Record<string, CircuitBreakerPolicy>;
  apps: Record<string, ResiliencyTarget>;
  actors: Record<string, ResiliencyTarget>;
  components: Record<string, { inbound?: ResiliencyTarget; outbound?: ResiliencyTarget }>;
  scopes: string[];
  origin: ResourceOrigin;
}

export type Resource = ComponentResource | SubscriptionResource | ConfigurationResource | ResiliencyResource;

/** Everything loaded from the resources paths and `--config`, after scopes and namespaces are applied. */
export interface LoadedResources {
  components: ComponentResource[];
  subscriptions: SubscriptionResource[];
  resiliencies: ResiliencyResource[];
  configuration?: ConfigurationResource;
}
