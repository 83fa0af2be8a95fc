import { Module } from '@nestjs/common';
import { paymentConfigProvider } from '../config';
import { OrderReplies } from '../replies';
import { PaymentEventsController } from './payment-events.controller';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';

@Module({
  controllers: [PaymentEventsController, PaymentsController],
  providers: [PaymentsService, OrderReplies, paymentConfigProvider],
})
export class PaymentsModule {}
