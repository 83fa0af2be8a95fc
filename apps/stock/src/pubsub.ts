import { DEMO_SUBSCRIPTION, PUBSUB_NAME } from '@repo/contracts';
import type { DaprAppOptions } from '@repo/nest-dapr';
import type { StockConfig } from './config';

/** The transport's settings: the article's topic is declarative unless configured otherwise; the saga's are programmatic. */
export function pubsubOptions(config: Pick<StockConfig, 'demoSubscription'>): NonNullable<DaprAppOptions['pubsub']> {
  return { pubsubName: PUBSUB_NAME, declarative: config.demoSubscription === 'declarative' ? [DEMO_SUBSCRIPTION.topic] : [] };
}
