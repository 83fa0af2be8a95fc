import { BadGatewayException, Injectable, Logger } from '@nestjs/common';
import { APPS, USER_ID_HEADER, type CartView, type Product } from '@repo/contracts';
import { DaprClient } from '@repo/nest-dapr';

/** Order's calls to other apps, through its sidecar (service invocation). */
@Injectable()
export class Peers {
  private readonly logger = new Logger(Peers.name);

  constructor(private readonly dapr: DaprClient) {}

  /** Stock's catalogue, for the prices an order is taken at. */
  async catalogue(): Promise<Map<string, Product>> {
    const res = await this.dapr.invoke(APPS.stock.appId, 'stock/products');
    if (!res.ok) throw new BadGatewayException(`stock answered ${res.status}: ${res.text()}`);
    return new Map(res.json<Product[]>().map((p) => [p.productId, p]));
  }

  async cart(userId: string): Promise<CartView> {
    const res = await this.dapr.invoke(APPS.cart.appId, 'cart', { headers: { [USER_ID_HEADER]: userId } });
    if (!res.ok) throw new BadGatewayException(`cart answered ${res.status}: ${res.text()}`);
    return res.json<CartView>();
  }

  /** Empties the cart the order was taken from, unless it changed since (then the user's new items stay). */
  async clearCart(userId: string, etag: string): Promise<void> {
    const res = await this.dapr.invoke(APPS.cart.appId, 'cart', { httpMethod: 'DELETE', headers: { [USER_ID_HEADER]: userId, 'if-match': etag } });
    if (!res.ok) this.logger.warn(`cart of ${userId} not emptied after the order (${res.status}: ${res.text()})`);
  }
}
