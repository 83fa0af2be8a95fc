import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { USER_ID_HEADER, type Order } from '@repo/contracts';
import { APP_LABELS } from '../upstream/app-labels';
import { relay, sendJson, type RawResponse } from '../upstream/relay';
import { Upstream } from '../upstream/upstream';
import type { OrderProgressView } from '../web/views';
import { isFinal, stalledNotice, waitingFor } from './order-progress';
import { PathSegmentPipe } from './path-segment.pipe';
import { UserId } from './user-id';

/** Checkout and the order's progress through the saga. */
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly upstream: Upstream) {}

  /** Orders the shopper's cart as it is in the cart store (order reads it there and empties it). */
  @Post()
  async place(@UserId() userId: string, @Res() res: RawResponse): Promise<void> {
    relay(res, await this.upstream.invoke('order', 'orders', { httpMethod: 'POST', headers: { [USER_ID_HEADER]: userId }, body: {} }));
  }

  /**
   * The order and, while it waits for a participant, whether that one answers: a stopped payment shows as a
   * notice on the page, and the order goes on by itself once payment is back (its messages wait in the broker).
   */
  @Get(':orderId')
  async progress(@Param('orderId', PathSegmentPipe) orderId: string, @Res() res: RawResponse): Promise<void> {
    const upstream = await this.upstream.invoke('order', `orders/${orderId}`);
    if (!upstream.ok) return relay(res, upstream);
    const order = upstream.json<Order>();
    const view: OrderProgressView = { order, final: isFinal(order.status) };
    const participant = waitingFor(order.status);
    if (participant) {
      view.waitingFor = participant;
      const health = await this.upstream.health(participant);
      if (health.state !== 'healthy') view.notice = stalledNotice(APP_LABELS[participant]);
    }
    sendJson(res, 200, view);
  }
}
