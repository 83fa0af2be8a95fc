import { Module } from '@nestjs/common';
import { CartController } from './cart.controller';
import { OrdersController } from './orders.controller';
import { ProductsController } from './products.controller';

/** The storefront's backend: products with stock, the cart, checkout and the order's progress. */
@Module({ controllers: [ProductsController, CartController, OrdersController] })
export class ShopModule {}
