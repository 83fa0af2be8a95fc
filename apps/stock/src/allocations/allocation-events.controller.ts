import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@repo/contracts';
import { OrderReplies } from '../replies';
import { AllocationRequestDto, ReserveAllocateDto } from './allocation.dto';
import { AllocationsService } from './allocations.service';

/**
 * Stock's saga subscriptions (programmatic, on nautible's routes). The reply is published after the decision
 * is stored: if publishing fails the message is retried, and the stored decision makes the retry repeat the reply.
 */
@Controller()
export class AllocationEventsController {
  constructor(
    private readonly allocations: AllocationsService,
    private readonly replies: OrderReplies,
  ) {}

  @EventPattern(TOPICS.stockReserveAllocate, { route: '/stock/reserveAllocate' })
  async reserve(@Payload() request: ReserveAllocateDto): Promise<void> {
    await this.replies.send(await this.allocations.reserve(request.requestId, request.products));
  }

  @EventPattern(TOPICS.stockApproveAllocate, { route: '/stock/approveAllocate' })
  async approve(@Payload() request: AllocationRequestDto): Promise<void> {
    await this.replies.send(await this.allocations.approve(request.requestId));
  }

  @EventPattern(TOPICS.stockRejectAllocate, { route: '/stock/rejectAllocate' })
  async reject(@Payload() request: AllocationRequestDto): Promise<void> {
    await this.replies.send(await this.allocations.reject(request.requestId));
  }
}
