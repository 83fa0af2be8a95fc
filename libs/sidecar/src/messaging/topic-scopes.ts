import type { ComponentMetadata } from '../components/metadata';

/** A pub/sub component's built-in topic rules for this app (daprd's `PubsubItem`). */
export interface TopicScopes {
  /** Topics this app may publish to (`publishingScopes`); empty: no per-app limit. */
  publishing: string[];
  /** Topics this app may subscribe to (`subscriptionScopes`); empty: no per-app limit. */
  subscription: string[];
  /** When set, the only topics anyone may use (`allowedTopics`). */
  allowed: string[];
  /** Topics an app may use only when its scopes name them (`protectedTopics`). */
  protected: string[];
  /** `namespaceScoped`: broker topics get the namespace as a prefix. */
  namespaceScoped: boolean;
}

export function topicScopesOf(metadata: ComponentMetadata, appId: string): TopicScopes {
  return {
    publishing: scopedTopics(metadata.string('publishingScopes'), appId),
    subscription: scopedTopics(metadata.string('subscriptionScopes'), appId),
    allowed: csv(metadata.string('allowedTopics')),
    protected: csv(metadata.string('protectedTopics')),
    namespaceScoped: metadata.bool('namespaceScoped', false),
  };
}

/**
 * daprd's `IsOperationAllowed`: outside `allowedTopics` nothing is allowed; a protected topic, or any topic
 * once the app has scopes, must be named in the app's scopes.
 */
export function isTopicAllowed(topic: string, scopes: TopicScopes, appScopes: string[]): boolean {
  if (scopes.allowed.length > 0 && !scopes.allowed.includes(topic)) return false;
  if (!scopes.protected.includes(topic) && appScopes.length === 0) return true;
  return appScopes.includes(topic);
}

/** `app1=t1,t2;app2=t3` → this app's topics. `app1=` scopes app1 to nothing. Spaces are ignored, as daprd does. */
function scopedTopics(value: string | undefined, appId: string): string[] {
  if (!value) return [];
  const topics = new Set<string>();
  for (const entry of value.replaceAll(' ', '').split(';')) {
    const [app, list] = entry.split('=', 2);
    if (list === undefined || app !== appId) continue;
    for (const topic of list.split(',')) topics.add(topic);
  }
  return [...topics];
}

function csv(value: string | undefined): string[] {
  if (!value) return [];
  return value.replaceAll(' ', '').split(',');
}
