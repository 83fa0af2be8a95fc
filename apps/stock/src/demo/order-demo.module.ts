import { Module } from '@nestjs/common';
import { OrderDemoController } from './order-demo.controller';
import { ReceivedOrders } from './received-orders';

@Module({ controllers: [OrderDemoController], providers: [ReceivedOrders] })
export class OrderDemoModule {}
