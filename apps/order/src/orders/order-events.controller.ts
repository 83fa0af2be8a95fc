import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@repo/contracts';
import { CreateOrderReplyDto } from './order.dto';
import { OrdersService } from './orders.service';

/** Every participant's reply arrives here (programmatic subscription on nautible's route). */
@Controller()
export class OrderEventsController {
  constructor(private readonly orders: OrdersService) {}

  @EventPattern(TOPICS.createOrderReply, { route: '/order/createOrderReply' })
  onReply(@Payload() reply: CreateOrderReplyDto): Promise<void> {
    return this.orders.handleReply(reply);
  }
}
