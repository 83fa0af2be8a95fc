import { Controller, Get, Logger } from '@nestjs/common';
import { DEMO_ORDER_MESSAGE, DEMO_ORDER_RESPONSE, PUBSUB_NAME, TOPICS } from '@repo/contracts';
import { DaprClient } from '@repo/nest-dapr';

/** The article's order app: every request to it publishes `{"id":"0001","name":"sample"}` to `order-pubsub/order`. */
@Controller()
export class PublishDemoController {
  private readonly logger = new Logger('order');

  constructor(private readonly dapr: DaprClient) {}

  @Get()
  async publish(): Promise<string> {
    await this.dapr.publish(PUBSUB_NAME, TOPICS.order, DEMO_ORDER_MESSAGE);
    this.logger.log('publish');
    return DEMO_ORDER_RESPONSE;
  }
}
