import { Controller, Get, Res } from '@nestjs/common';
import { relay, type RawResponse } from '../upstream/relay';
import { Upstream } from '../upstream/upstream';

/** The catalogue with stock levels, as stock has it. */
@Controller('api/products')
export class ProductsController {
  constructor(private readonly upstream: Upstream) {}

  @Get()
  async list(@Res() res: RawResponse): Promise<void> {
    relay(res, await this.upstream.invoke('stock', 'stock/products'));
  }
}
