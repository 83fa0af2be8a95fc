import { AllocateStatus, type Allocation, type Product } from '@repo/contracts';
import { approveAllocate, mergeLines, rejectAllocate, reserveAllocate } from './allocation';

const NOW = '2026-01-01T00:00:00.000Z';
const product = (productId: string, quantity: number, reserved = 0): Product => ({ productId, name: `P${productId}`, price: 100, quantity, reserved });
const catalogue = (...products: Product[]) => new Map(products.map((p) => [p.productId, p]));
const allocation = (status: AllocateStatus, products = [{ productId: '100', quantity: 2 }]): Allocation => ({
  requestId: 'r1',
  status,
  products,
  reserveSucceeded: true,
  updatedAt: NOW,
});

describe('reserveAllocate', () => {
  it('holds the quantities (quantity → reserved), records a PENDING allocation and replies 200', () => {
    const d = reserveAllocate('r1', [{ productId: '100', quantity: 2 }], undefined, catalogue(product('100', 5)), NOW);
    expect(d.products).toEqual([product('100', 3, 2)]);
    expect(d.allocation).toMatchObject({ requestId: 'r1', status: 'PENDING', reserveSucceeded: true, products: [{ productId: '100', quantity: 2 }] });
    expect(d.reply).toEqual({ requestId: 'r1', status: 200, processType: 'STOCK_RESERVE_ALLOCATE' });
  });

  it('holds nothing when one product lacks stock, records the refusal and replies 400', () => {
    const d = reserveAllocate('r1', [{ productId: '100', quantity: 1 }, { productId: '101', quantity: 3 }], undefined, catalogue(product('100', 5), product('101', 2)), NOW);
    expect(d.products).toEqual([]);
    expect(d.allocation).toMatchObject({ status: 'REJECTED', reserveSucceeded: false });
    expect(d.reply).toEqual({ requestId: 'r1', status: 400, processType: 'STOCK_RESERVE_ALLOCATE', message: 'Lack of stock: 101 (requested 3, available 2)' });
  });

  it('refuses an unknown product', () => {
    const d = reserveAllocate('r1', [{ productId: '999', quantity: 1 }], undefined, catalogue(), NOW);
    expect(d.reply).toMatchObject({ status: 400, message: 'Unknown product: 999' });
  });

  it('can take the last item (stock reaches 0, never below)', () => {
    expect(reserveAllocate('r1', [{ productId: '100', quantity: 5 }], undefined, catalogue(product('100', 5)), NOW).products).toEqual([product('100', 0, 5)]);
  });

  it('checks lines of the same product together', () => {
    const d = reserveAllocate('r1', [{ productId: '100', quantity: 3 }, { productId: '100', quantity: 3 }], undefined, catalogue(product('100', 5)), NOW);
    expect(d.reply.status).toBe(400);
    expect(mergeLines([{ productId: 'a', quantity: 1 }, { productId: 'a', quantity: 2 }])).toEqual([{ productId: 'a', quantity: 3 }]);
  });

  it('answers a repeated request as the first time, changing nothing', () => {
    const held = reserveAllocate('r1', [{ productId: '100', quantity: 2 }], allocation('PENDING'), catalogue(product('100', 3, 2)), NOW);
    expect(held).toEqual({ products: [], reply: { requestId: 'r1', status: 200, processType: 'STOCK_RESERVE_ALLOCATE' } });
    const refused = { ...allocation('REJECTED'), reserveSucceeded: false, message: 'Lack of stock: 100' };
    expect(reserveAllocate('r1', [], refused, catalogue(), NOW)).toEqual({
      products: [],
      reply: { requestId: 'r1', status: 400, processType: 'STOCK_RESERVE_ALLOCATE', message: 'Lack of stock: 100' },
    });
  });
});

describe('approveAllocate', () => {
  it('turns a PENDING reservation into ALLOCATED and releases the held quantity as sold', () => {
    const d = approveAllocate('r1', allocation('PENDING'), catalogue(product('100', 3, 2)), NOW);
    expect(d.allocation?.status).toBe('ALLOCATED');
    expect(d.products).toEqual([product('100', 3, 0)]);
    expect(d.reply).toEqual({ requestId: 'r1', status: 200, processType: 'STOCK_APPROVE_ALLOCATE' });
  });

  it('answers a repeated approval with 200 and changes nothing', () => {
    expect(approveAllocate('r1', allocation('ALLOCATED'), catalogue(product('100', 3)), NOW)).toEqual({
      products: [],
      reply: { requestId: 'r1', status: 200, processType: 'STOCK_APPROVE_ALLOCATE' },
    });
  });

  it('fails (400) without a reservation or for a rejected one', () => {
    expect(approveAllocate('r1', undefined, catalogue(), NOW).reply.status).toBe(400);
    expect(approveAllocate('r1', allocation('REJECTED'), catalogue(product('100', 5)), NOW)).toMatchObject({ products: [], reply: { status: 400 } });
  });
});

describe('rejectAllocate (compensation)', () => {
  it('gives a PENDING reservation back: reserved → quantity', () => {
    const d = rejectAllocate('r1', allocation('PENDING'), catalogue(product('100', 3, 2)), NOW);
    expect(d.allocation?.status).toBe('REJECTED');
    expect(d.products).toEqual([product('100', 5, 0)]);
    expect(d.reply).toEqual({ requestId: 'r1', status: 200, processType: 'STOCK_REJECT_ALLOCATE' });
  });

  it('gives ALLOCATED (sold) stock back to quantity', () => {
    expect(rejectAllocate('r1', allocation('ALLOCATED'), catalogue(product('100', 3, 0)), NOW).products).toEqual([product('100', 5, 0)]);
  });

  it('answers a repeated rejection with 200 and changes nothing', () => {
    expect(rejectAllocate('r1', allocation('REJECTED'), catalogue(product('100', 5)), NOW)).toEqual({
      products: [],
      reply: { requestId: 'r1', status: 200, processType: 'STOCK_REJECT_ALLOCATE' },
    });
  });

  it('records a rejection that overtook its reservation, so the late reserve holds nothing', () => {
    const d = rejectAllocate('r1', undefined, catalogue(), NOW);
    expect(d.allocation).toMatchObject({ status: 'REJECTED', reserveSucceeded: false, products: [] });
    expect(reserveAllocate('r1', [{ productId: '100', quantity: 1 }], d.allocation, catalogue(product('100', 5)), NOW)).toMatchObject({
      products: [],
      reply: { status: 400 },
    });
  });
});
