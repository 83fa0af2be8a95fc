import { BadGatewayException, BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { PUBSUB_NAME, type AllocateProduct, type CreateOrderReply, type Order } from '@repo/contracts';
import { DaprClient, DropMessage, withConflictRetry } from '@repo/nest-dapr';
import { randomUUID } from 'node:crypto';
import { OrdersStore } from './orders.store';
import { Peers } from './peers';
import { failToStart, onReply, startOrder, type SagaCommand } from './saga';

/**
 * The saga orchestrator (nautible's OrderSagaManager): takes orders, sends each step's command and moves the
 * order on every reply. A transition is stored (under the etag it was decided on) before its command is
 * published, so a reply always finds the state that expects it.
 */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly dapr: DaprClient,
    private readonly store: OrdersStore,
    private readonly peers: Peers,
  ) {}

  /** Takes an order for `items`, or for the user's cart when there are none. */
  async create(userId: string, items: AllocateProduct[] | undefined): Promise<Order> {
    const cart = items ? undefined : await this.peers.cart(userId);
    const lines = items ?? cart!.items.map((i) => ({ productId: i.product_id, quantity: i.quantity }));
    if (lines.length === 0) throw new BadRequestException('the cart is empty');
    const catalogue = await this.peers.catalogue();
    const priced = lines.map((l) => {
      const product = catalogue.get(l.productId);
      if (!product) throw new BadRequestException(`unknown product ${l.productId}`);
      return { ...l, price: product.price };
    });

    const { order, command } = startOrder({ orderId: randomUUID(), userId, items: priced, now: now() });
    await this.store.create(order);
    this.logger.log(`order ${order.orderId} (${userId}, total ${order.totalPrice}): ${order.status}`);
    try {
      await this.publish(command);
    } catch (err) {
      const message = `the order saga could not start: ${err instanceof Error ? err.message : String(err)}`;
      await this.store.update(order.orderId, (o) => failToStart(o, message, now()));
      throw new BadGatewayException(message);
    }
    if (cart?.etag) await this.peers.clearCart(userId, cart.etag);
    return order;
  }

  async get(orderId: string): Promise<Order> {
    const item = await this.store.get(orderId);
    if (!item) throw new NotFoundException(`order ${orderId} not found`);
    return item.value;
  }

  recent(limit: number): Promise<Order[]> {
    return this.store.recent(limit);
  }

  async handleReply(reply: CreateOrderReply): Promise<void> {
    await withConflictRetry(async () => {
      const current = await this.store.get(reply.requestId);
      if (!current) throw new DropMessage(`reply for unknown order ${reply.requestId}`);
      const step = onReply(current.value, reply, now());
      if (step.kind === 'ignore') {
        this.logger.debug(`order ${reply.requestId}: ${step.reason}`);
        return;
      }
      if (step.kind === 'resend') {
        this.logger.log(`order ${reply.requestId}: repeated ${reply.processType} reply; sending ${step.command.topic} again`);
        return this.publish(step.command);
      }
      await this.store.save(step.order, current.etag);
      const note = reply.message ? ` (${reply.message})` : '';
      this.logger.log(`order ${reply.requestId}: ${current.value.status} → ${step.order.status} on ${reply.processType} ${reply.status}${note}`);
      if (step.command) await this.publish(step.command);
    });
  }

  private publish(command: SagaCommand): Promise<void> {
    return this.dapr.publish(PUBSUB_NAME, command.topic, command.data);
  }
}

function now(): string {
  return new Date().toISOString();
}
