import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import type { Product } from '@repo/contracts';
import { PutProductDto } from './product.dto';
import { ProductsService } from './products.service';

@Controller('stock/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  list(): Promise<Product[]> {
    return this.products.list();
  }

  @Get(':productId')
  get(@Param('productId') productId: string): Promise<Product> {
    return this.products.get(productId);
  }

  @Put(':productId')
  put(@Param('productId') productId: string, @Body() body: PutProductDto): Promise<Product> {
    return this.products.put(productId, body);
  }
}
