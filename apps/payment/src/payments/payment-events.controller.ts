import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@repo/contracts';
import { OrderReplies } from '../replies';
import { PaymentCreateDto, PaymentRejectCreateDto } from './payment.dto';
import { PaymentsService } from './payments.service';

/** Payment's saga subscriptions, on nautible's routes. The reply goes out after the decision is stored. */
@Controller()
export class PaymentEventsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly replies: OrderReplies,
  ) {}

  @EventPattern(TOPICS.paymentCreate, { route: '/payment/create' })
  async create(@Payload() request: PaymentCreateDto): Promise<void> {
    await this.replies.send(await this.payments.create(request));
  }

  @EventPattern(TOPICS.paymentRejectCreate, { route: '/payment/rejectCreate' })
  async reject(@Payload() request: PaymentRejectCreateDto): Promise<void> {
    await this.replies.send(await this.payments.reject(request.requestId));
  }
}
