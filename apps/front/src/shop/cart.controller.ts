import { Body, Controller, Delete, Get, Headers, Param, Post, Put, Res } from '@nestjs/common';
import { USER_ID_HEADER } from '@repo/contracts';
import { relay, type RawResponse } from '../upstream/relay';
import { Upstream } from '../upstream/upstream';
import { PathSegmentPipe } from './path-segment.pipe';
import { AddToCartDto, SetQuantityDto } from './shop.dto';
import { UserId } from './user-id';

/**
 * The shopper's cart, passed through to cart's API. The page sends the etag of the cart it shows as `If-Match`;
 * cart answers 409 with the current cart when another tab changed it since, so no change is silently lost.
 */
@Controller('api/cart')
export class CartController {
  constructor(private readonly upstream: Upstream) {}

  @Get()
  async get(@UserId() userId: string, @Res() res: RawResponse): Promise<void> {
    relay(res, await this.upstream.invoke('cart', 'cart', { headers: { [USER_ID_HEADER]: userId } }));
  }

  @Post('items')
  async add(@UserId() userId: string, @Body() body: AddToCartDto, @Headers('if-match') ifMatch: string | undefined, @Res() res: RawResponse): Promise<void> {
    const upstream = await this.upstream.invoke('cart', 'cart/items', {
      httpMethod: 'POST',
      headers: headers(userId, ifMatch),
      body: { product_id: body.productId, quantity: body.quantity },
    });
    relay(res, upstream);
  }

  @Put('items/:productId')
  async setQuantity(
    @UserId() userId: string,
    @Param('productId', PathSegmentPipe) productId: string,
    @Body() body: SetQuantityDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res() res: RawResponse,
  ): Promise<void> {
    const upstream = await this.upstream.invoke('cart', `cart/items/${productId}`, {
      httpMethod: 'PUT',
      headers: headers(userId, ifMatch),
      body: { quantity: body.quantity },
    });
    relay(res, upstream);
  }

  @Delete('items/:productId')
  async remove(@UserId() userId: string, @Param('productId', PathSegmentPipe) productId: string, @Headers('if-match') ifMatch: string | undefined, @Res() res: RawResponse): Promise<void> {
    relay(res, await this.upstream.invoke('cart', `cart/items/${productId}`, { httpMethod: 'DELETE', headers: headers(userId, ifMatch) }));
  }
}

function headers(userId: string, ifMatch: string | undefined): Record<string, string> {
  return ifMatch ? { [USER_ID_HEADER]: userId, 'if-match': ifMatch } : { [USER_ID_HEADER]: userId };
}
