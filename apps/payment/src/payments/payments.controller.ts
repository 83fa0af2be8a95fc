import { Controller, Get, Param } from '@nestjs/common';
import type { Payment } from '@repo/contracts';
import { PaymentsService } from './payments.service';

@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get(':requestId')
  get(@Param('requestId') requestId: string): Promise<Payment> {
    return this.payments.get(requestId);
  }
}
