import { Controller, Get, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DEMO_SUBSCRIPTION, type ReceivedDemoOrders } from '@repo/contracts';
import { DaprPubSubContext } from '@repo/nest-dapr';
import { ReceivedOrders } from './received-orders';

/**
 * The article's subscriber: `POST /order` receives what order publishes to `order-pubsub/order` (routed by the
 * `Subscription` file, or listed in `/dapr/subscribe` in programmatic mode) and prints it.
 */
@Controller()
export class OrderDemoController {
  private readonly logger = new Logger('order');

  constructor(private readonly received: ReceivedOrders) {}

  @EventPattern(DEMO_SUBSCRIPTION.topic, { route: DEMO_SUBSCRIPTION.route })
  onOrder(@Payload() data: unknown, @Ctx() ctx: DaprPubSubContext): void {
    this.logger.log(JSON.stringify(data));
    this.received.add(data, ctx.getCloudEvent()?.id);
  }

  @Get(`${DEMO_SUBSCRIPTION.route}/received`)
  list(): ReceivedDemoOrders {
    return this.received.list();
  }
}
