import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import type { Order } from '@repo/contracts';
import { UserId } from '../user-id.decorator';
import { CreateOrderDto, ListOrdersQuery } from './order.dto';
import { OrdersService } from './orders.service';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** 201 with the order in STOCK_RESERVE_ALLOCATE_DOING; follow it with `GET /orders/:id`. */
  @Post()
  create(@UserId() userId: string, @Body() body: CreateOrderDto): Promise<Order> {
    return this.orders.create(userId, body.items);
  }

  @Get()
  list(@Query() query: ListOrdersQuery): Promise<Order[]> {
    return this.orders.recent(query.limit ?? 20);
  }

  @Get(':orderId')
  get(@Param('orderId') orderId: string): Promise<Order> {
    return this.orders.get(orderId);
  }
}
