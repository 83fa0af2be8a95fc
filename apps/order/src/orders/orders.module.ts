import { Module } from '@nestjs/common';
import { OrderEventsController } from './order-events.controller';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { OrdersStore } from './orders.store';
import { Peers } from './peers';

@Module({
  controllers: [OrdersController, OrderEventsController],
  providers: [OrdersService, OrdersStore, Peers],
})
export class OrdersModule {}
