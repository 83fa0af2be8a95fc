import { awsSanitizedName } from './aws-names';

describe('awsSanitizedName', () => {
  it('keeps letters, digits, dashes and underscores, as daprd does', () => {
    expect(awsSanitizedName('create-order-reply')).toBe('create-order-reply');
    expect(awsSanitizedName('orders.v1/created')).toBe('ordersv1created');
  });

  it('cuts names at the 80 characters AWS allows', () => {
    expect(awsSanitizedName('a'.repeat(100))).toHaveLength(80);
  });
});
