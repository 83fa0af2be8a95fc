import { Controller, Get, Param } from '@nestjs/common';
import type { Allocation } from '@repo/contracts';
import { AllocationsService } from './allocations.service';

@Controller('stock/allocations')
export class AllocationsController {
  constructor(private readonly allocations: AllocationsService) {}

  @Get(':requestId')
  get(@Param('requestId') requestId: string): Promise<Allocation> {
    return this.allocations.get(requestId);
  }
}
