import { PUBSUB_NAME } from '@repo/contracts';
import type { DaprAppOptions } from '@repo/nest-dapr';

/** Order subscribes programmatically (to `create-order-reply`), as nautible's order service does. */
export const PUBSUB_OPTIONS: NonNullable<DaprAppOptions['pubsub']> = { pubsubName: PUBSUB_NAME };
