import { Injectable, Logger } from '@nestjs/common';
import { PUBSUB_NAME, TOPICS, type CreateOrderReply } from '@repo/contracts';
import { DaprClient } from '@repo/nest-dapr';

/** Answers the order saga on `create-order-reply`, the one topic every participant replies on. */
@Injectable()
export class OrderReplies {
  private readonly logger = new Logger(OrderReplies.name);

  constructor(private readonly dapr: DaprClient) {}

  async send(reply: CreateOrderReply): Promise<void> {
    await this.dapr.publish(PUBSUB_NAME, TOPICS.createOrderReply, reply);
    this.logger.log(`${reply.processType} ${reply.requestId}: ${reply.status}${reply.message ? ` (${reply.message})` : ''}`);
  }
}
