import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { AppChannel } from '../app-channel';
import type { ComponentHost } from '../components/host';
import type { MessageHandler, Unsubscribe } from '../components/pubsub/pubsub';
import { errorMessage } from '../errors';
import type { LoadedResources } from '../resources/types';
import { bulkHandler, DEFAULT_MAX_MESSAGES } from './bulk-subscriber';
import type { SubscriptionContext } from './inbound';
import { Publisher } from './publisher';
import { inboundPolicy } from './retry';
import { compileRules } from './routing';
import { singleHandler } from './subscriber';
import { describeSubscription, fetchProgrammatic, fromDeclarative, mergeSubscriptions, type Subscription } from './subscriptions';
import { isTopicAllowed } from './topic-scopes';

export interface MessagingOptions {
  appId: string;
  namespace?: string;
  components: ComponentHost;
  resources: LoadedResources;
  /** No app channel, no subscriptions (as in daprd without --app-port). */
  appChannel?: AppChannel;
  logger: Logger;
}

interface Running {
  subscription: Subscription;
  unsubscribe: Unsubscribe;
  stopBatching?: () => void;
}

/**
 * The pub/sub side of a sidecar: the publisher the API uses, and the subscriptions it runs once the app is up.
 * It counts the deliveries in flight so a stop can let them finish within the grace period and nack the rest.
 */
export class Messaging {
  readonly publisher: Publisher;
  private readonly running: Running[] = [];
  private readonly hardStop = new AbortController();
  private closing = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: MessagingOptions) {
    this.publisher = new Publisher({ components: opts.components, appId: opts.appId, namespace: opts.namespace });
    // Every delivery and retry wait listens on this signal; many at once is normal, not a leak.
    setMaxListeners(0, this.hardStop.signal);
  }

  /** Reads `/dapr/subscribe` and the Subscription resources, then subscribes; problems are logged, never fatal. */
  async start(signal: AbortSignal): Promise<void> {
    const channel = this.opts.appChannel;
    if (!channel) return;
    const programmatic = await fetchProgrammatic(channel, this.opts.appId, this.opts.logger, signal);
    const all = mergeSubscriptions(programmatic, fromDeclarative(this.opts.resources.subscriptions), this.opts.logger);
    for (const subscription of all) {
      if (this.closing || signal.aborted) return;
      try {
        await this.subscribe(subscription, channel);
      } catch (err) {
        this.opts.logger.error(`cannot subscribe to topic ${subscription.topic} on pubsub ${subscription.pubsubname}: ${errorMessage(err)}`);
      }
    }
  }

  /** The running subscriptions, as `/v1.0/metadata` lists them. */
  list(): Record<string, unknown>[] {
    return this.running.map((r) => describeSubscription(r.subscription));
  }

  /**
   * Stops taking deliveries, lets the ones in flight finish within `graceMs`, then cancels what is left: those
   * messages are nacked, so the broker keeps them.
   */
  async stop(graceMs: number): Promise<void> {
    this.closing = true;
    for (const r of this.running) r.stopBatching?.();
    const drained = Promise.all([Promise.allSettled(this.running.map((r) => r.unsubscribe())), this.idle()]);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, graceMs, 'timeout')));
    if ((await Promise.race([drained, grace])) === 'timeout') {
      this.opts.logger.warn(`${this.inFlight} pub/sub deliveries still running after the graceful shutdown period; they go back to the broker`);
      this.hardStop.abort();
      await drained;
    }
    clearTimeout(timer);
  }

  private async subscribe(subscription: Subscription, channel: AppChannel): Promise<void> {
    const { logger, appId } = this.opts;
    const target = this.publisher.target(subscription.pubsubname);
    if (!isTopicAllowed(subscription.topic, target.scopes, target.scopes.subscription)) {
      logger.warn(`subscription to topic '${subscription.topic}' on pubsub '${subscription.pubsubname}' is not allowed for app id ${appId}`);
      return;
    }
    const ctx: SubscriptionContext = {
      subscription,
      target,
      router: await compileRules(subscription.rules),
      channel,
      publisher: this.publisher,
      policy: inboundPolicy(this.opts.resources.resiliencies, target.name),
      logger: logger.child({ pubsub: target.name, topic: subscription.topic }),
      stopSignal: this.hardStop.signal,
    };
    const bulk = subscription.bulkSubscribe?.enabled ? bulkHandler(ctx) : undefined;
    const handler = this.counted(bulk?.handler ?? singleHandler(ctx));
    const unsubscribe = await target.broker.subscribe(
      {
        topic: this.publisher.brokerTopic(target, subscription.topic),
        metadata: subscription.metadata,
        maxConcurrentMessages: bulk ? (subscription.bulkSubscribe?.maxMessagesCount ?? DEFAULT_MAX_MESSAGES) : 1,
      },
      handler,
    );
    if (this.closing) {
      bulk?.stop();
      await unsubscribe();
      return;
    }
    this.running.push({ subscription, unsubscribe, stopBatching: bulk?.stop });
    logger.info(`subscribed to topic ${subscription.topic} on pubsub ${target.name} (${subscription.type.toLowerCase()})`);
  }

  /** Refuses deliveries once stopping (nack), and counts the ones running. */
  private counted(handler: MessageHandler): MessageHandler {
    return async (msg) => {
      if (this.closing) throw new Error('the subscription is closed');
      this.inFlight++;
      try {
        await handler(msg);
      } finally {
        if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      }
    };
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
