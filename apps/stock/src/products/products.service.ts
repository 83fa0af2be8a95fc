import { BadRequestException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { STATE_STORES, type Product } from '@repo/contracts';
import { DaprClient, StateConflictError } from '@repo/nest-dapr';
import { StockConfig } from '../config';
import { PRODUCT_INDEX_KEY, productKey } from '../state-keys';
import type { PutProductDto } from './product.dto';
import { SEED_PRODUCTS } from './seed';

const STORE = STATE_STORES.stock;

/** Products and their stock levels: one key per product, and an index key listing the product ids. */
@Injectable()
export class ProductsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProductsService.name);

  constructor(
    private readonly dapr: DaprClient,
    private readonly config: StockConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedProducts) await this.seed();
  }

  async list(): Promise<Product[]> {
    const ids = (await this.dapr.getState<string[]>(STORE, PRODUCT_INDEX_KEY))?.value ?? [];
    const items = await this.dapr.getBulkState<Product>(STORE, ids.map(productKey));
    return items.flatMap((i) => (i.value ? [i.value] : []));
  }

  async get(productId: string): Promise<Product> {
    const item = await this.dapr.getState<Product>(STORE, productKey(productId));
    if (!item) throw new NotFoundException(`product ${productId} not found`);
    return item.value;
  }

  /** Sets the quantity that can be reserved (and name/price when given); a new product needs name and price. */
  async put(productId: string, body: PutProductDto): Promise<Product> {
    const product = await this.dapr.updateState<Product>(STORE, productKey(productId), (current) => {
      if (!current && (body.name === undefined || body.price === undefined)) {
        throw new BadRequestException(`product ${productId} does not exist yet: name and price are required`);
      }
      return {
        productId,
        name: body.name ?? current!.name,
        price: body.price ?? current!.price,
        quantity: body.quantity,
        reserved: current?.reserved ?? 0,
      };
    });
    await this.dapr.updateState<string[]>(STORE, PRODUCT_INDEX_KEY, (ids = []) => (ids.includes(productId) ? ids : [...ids, productId]));
    return product;
  }

  /** Writes the demo catalogue once: the index is created first-write in the same transaction, so a second run (or replica) changes nothing. */
  private async seed(): Promise<void> {
    try {
      await this.dapr.transaction(STORE, [
        { operation: 'upsert', key: PRODUCT_INDEX_KEY, value: SEED_PRODUCTS.map((p) => p.productId), concurrency: 'first-write' },
        ...SEED_PRODUCTS.map((p) => ({ operation: 'upsert' as const, key: productKey(p.productId), value: p })),
      ]);
      this.logger.log(`seeded ${SEED_PRODUCTS.length} products`);
    } catch (err) {
      if (!(err instanceof StateConflictError)) throw err;
      this.logger.log('products already in the store; not seeding');
    }
  }
}
