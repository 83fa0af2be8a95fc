import { Body, ConflictException, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { CartConflict, CartItem, CartView } from '@repo/contracts';
import { UserId } from '../user-id.decorator';
import { addItem, removeItem, setQuantity } from './cart-items';
import { AddItemDto, SaveDto, SetQuantityDto } from './cart.dto';
import { CartChangedError, CartService } from './cart.service';

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

/** The article's two routes, to the letter: `POST /save` answers `OK`, `GET /get` the stored lines. */
@Controller()
export class ArticleCartController {
  constructor(private readonly carts: CartService) {}

  @Post('save')
  @HttpCode(200)
  async save(@UserId() userId: string, @Body() body: SaveDto): Promise<string> {
    await this.carts.save(userId, { product_id: body.product_id, quantity: body.quantity });
    return 'OK';
  }

  @Get('get')
  async get(@UserId() userId: string): Promise<CartItem[]> {
    return (await this.carts.get(userId)).items;
  }
}

/**
 * The cart as a resource. Every answer carries the cart's etag (body and `ETag` header); a change sent with
 * `If-Match: <etag>` is refused with 409 and the current cart when someone changed the cart in between.
 */
@Controller('cart')
export class CartController {
  constructor(private readonly carts: CartService) {}

  @Get()
  async get(@UserId() userId: string, @Res({ passthrough: true }) res: HeaderSink): Promise<CartView> {
    return withEtag(res, await this.carts.get(userId));
  }

  @Post('items')
  @HttpCode(200)
  add(@UserId() userId: string, @Body() body: AddItemDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink): Promise<CartView> {
    return this.change(res, () => this.carts.change(userId, (items) => addItem(items, body.product_id, body.quantity), etagOf(ifMatch)));
  }

  @Put('items/:productId')
  setQuantity(
    @UserId() userId: string,
    @Param('productId') productId: string,
    @Body() body: SetQuantityDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<CartView> {
    return this.change(res, () => this.carts.change(userId, (items) => setQuantity(items, productId, body.quantity), etagOf(ifMatch)));
  }

  @Delete('items/:productId')
  remove(@UserId() userId: string, @Param('productId') productId: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink): Promise<CartView> {
    return this.change(res, () => this.carts.change(userId, (items) => removeItem(items, productId), etagOf(ifMatch)));
  }

  @Delete()
  clear(@UserId() userId: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink): Promise<CartView> {
    return this.change(res, () => this.carts.clear(userId, etagOf(ifMatch)));
  }

  private async change(res: HeaderSink, run: () => Promise<CartView>): Promise<CartView> {
    try {
      return withEtag(res, await run());
    } catch (err) {
      if (err instanceof CartChangedError) {
        const body: CartConflict = { statusCode: 409, message: err.message, cart: err.current };
        throw new ConflictException(body);
      }
      throw err;
    }
  }
}

function withEtag(res: HeaderSink, cart: CartView): CartView {
  if (cart.etag !== null) res.setHeader('ETag', `"${cart.etag}"`);
  return cart;
}

/** `If-Match` as sent: quoted as HTTP has it, or bare as the body's `etag`; empty means none. */
function etagOf(ifMatch: string | undefined): string | undefined {
  const value = ifMatch?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return value ? value : undefined;
}
