import { OrderStatus } from '@repo/contracts';
import { isFinal, stalledNotice, waitingFor } from './order-progress';

describe('order progress', () => {
  it('waits for stock or payment in each *_DOING state, for nobody once final', () => {
    expect(waitingFor(OrderStatus.STOCK_RESERVE_ALLOCATE_DOING)).toBe('stock');
    expect(waitingFor(OrderStatus.PAYMENT_CREATE_DOING)).toBe('payment');
    expect(waitingFor(OrderStatus.STOCK_APPROVE_ALLOCATE_DOING)).toBe('stock');
    expect(waitingFor(OrderStatus.PAYMENT_REJECT_CREATE_DOING)).toBe('payment');
    expect(waitingFor(OrderStatus.STOCK_REJECT_ALLOCATE_DOING)).toBe('stock');
    for (const status of [OrderStatus.DELIVERY_IN_PREPARATION, OrderStatus.REJECT, OrderStatus.ERROR]) {
      expect([isFinal(status), waitingFor(status)]).toEqual([true, undefined]);
    }
  });

  it('tells the shopper the order is not lost while an app is down', () => {
    expect(stalledNotice('Payment')).toBe('Payment is not answering; your order will continue when it is back.');
  });
});
