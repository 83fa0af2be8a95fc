import { Module } from '@nestjs/common';
import { OrderReplies } from '../replies';
import { AllocationEventsController } from './allocation-events.controller';
import { AllocationsController } from './allocations.controller';
import { AllocationsService } from './allocations.service';

@Module({
  controllers: [AllocationEventsController, AllocationsController],
  providers: [AllocationsService, OrderReplies],
})
export class AllocationsModule {}
