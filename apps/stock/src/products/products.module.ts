import { Module } from '@nestjs/common';
import { stockConfigProvider } from '../config';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

@Module({
  controllers: [ProductsController],
  providers: [ProductsService, stockConfigProvider],
})
export class ProductsModule {}
