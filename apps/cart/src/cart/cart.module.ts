import { Module } from '@nestjs/common';
import { ArticleCartController, CartController } from './cart.controller';
import { CartService } from './cart.service';

@Module({
  controllers: [ArticleCartController, CartController],
  providers: [CartService],
})
export class CartModule {}
