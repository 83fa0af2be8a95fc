import { outcomeOf } from './saga-text';

describe('outcomeOf', () => {
  it('has no outcome while the saga runs', () => {
    expect(outcomeOf('PAYMENT_CREATE_DOING', undefined)).toBeUndefined();
  });

  it('confirms a delivered order, and gives the reason of a cancelled or failed one', () => {
    expect(outcomeOf('DELIVERY_IN_PREPARATION', undefined)).toMatchObject({ tone: 'success', title: 'Thank you! Your order is confirmed.' });
    expect(outcomeOf('REJECT', 'the payment is over the limit.')).toMatchObject({ tone: 'error', detail: expect.stringContaining('Reason: the payment is over the limit.') });
    expect(outcomeOf('ERROR', 'not enough stock.')).toMatchObject({ tone: 'error', detail: expect.stringContaining('Reason: not enough stock.') });
  });
});
