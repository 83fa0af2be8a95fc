import type { ComponentHost } from '../components/host';
import type { PubSub } from '../components/pubsub/pubsub';
import { errorMessage } from '../errors';
import { publishFailed, pubsubNotFound, topicForbidden } from './errors';
import { isTopicAllowed, topicScopesOf, type TopicScopes } from './topic-scopes';

/** A loaded pub/sub component with its built-in topic rules, resolved once. */
export interface PubSubTarget {
  name: string;
  broker: PubSub;
  scopes: TopicScopes;
  /** The broker expires messages itself, so envelopes carry no `expiration`. */
  brokerHandlesTtl: boolean;
}

export interface PublishMessage {
  topic: string;
  data: Buffer;
  metadata: Record<string, string>;
  contentType?: string;
}

export interface BulkEntry {
  entryId: string;
  data: Buffer;
  metadata: Record<string, string>;
  contentType?: string;
}

export interface PublisherDeps {
  components: ComponentHost;
  appId: string;
  namespace?: string;
}

/**
 * daprd's publisher adapter: finds the component, applies this app's publishing scopes and the namespace prefix,
 * then hands the bytes to the broker. The API and dead-lettering both publish through it.
 */
export class Publisher {
  private readonly targets = new Map<string, PubSubTarget>();

  constructor(private readonly deps: PublisherDeps) {}

  get appId(): string {
    return this.deps.appId;
  }

  /** The named pub/sub, or daprd's 404 ERR_PUBSUB_NOT_FOUND. */
  target(name: string): PubSubTarget {
    const cached = this.targets.get(name);
    if (cached) return cached;
    const loaded = this.deps.components.pubsub.get(name);
    if (!loaded) throw pubsubNotFound(name, this.deps.appId);
    const target: PubSubTarget = {
      name,
      broker: loaded.instance,
      scopes: topicScopesOf(loaded.metadata, this.deps.appId),
      brokerHandlesTtl: loaded.instance.features.has('MESSAGE_TTL'),
    };
    this.targets.set(name, target);
    return target;
  }

  /** What `namespaceScoped` puts before every broker topic: the namespace, or nothing. */
  topicPrefix(target: PubSubTarget): string {
    return target.scopes.namespaceScoped && this.deps.namespace ? this.deps.namespace : '';
  }

  /** The topic as the broker knows it. */
  brokerTopic(target: PubSubTarget, topic: string): string {
    return this.topicPrefix(target) + topic;
  }

  /** Throws 403 ERR_PUBSUB_FORBIDDEN when the topic is out of this app's publishing scopes. */
  checkAllowed(target: PubSubTarget, topic: string): void {
    if (!isTopicAllowed(topic, target.scopes, target.scopes.publishing)) throw topicForbidden(target.name, topic, this.deps.appId);
  }

  /** Resolves when the broker holds the message; 403 out of scope, 500 ERR_PUBSUB_PUBLISH_MESSAGE when the broker fails. */
  async publish(target: PubSubTarget, message: PublishMessage): Promise<void> {
    this.checkAllowed(target, message.topic);
    try {
      await target.broker.publish({ ...message, topic: this.brokerTopic(target, message.topic) });
    } catch (err) {
      throw publishFailed(target.name, message.topic, errorMessage(err), this.deps.appId);
    }
  }

  /** daprd's default bulk publisher: every entry on its own, concurrently; returns the ones that failed. */
  async publishAll(target: PubSubTarget, topic: string, entries: BulkEntry[]): Promise<{ entryId: string; error: string }[]> {
    this.checkAllowed(target, topic);
    const brokerTopic = this.brokerTopic(target, topic);
    const results = await Promise.allSettled(
      entries.map((e) => target.broker.publish({ topic: brokerTopic, data: e.data, metadata: e.metadata, contentType: e.contentType })),
    );
    const failed: { entryId: string; error: string }[] = [];
    results.forEach((r, i) => {
      if (r.status === 'rejected') failed.push({ entryId: entries[i]!.entryId, error: errorMessage(r.reason) });
    });
    return failed;
  }
}
