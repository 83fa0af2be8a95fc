import { nameOfArn, sanitizedAwsName } from './names';

describe('SNS/SQS names, sanitised as daprd does', () => {
  it('keeps only letters, digits, - and _', () => {
    expect(sanitizedAwsName('orders.created', false)).toBe('orderscreated');
    expect(sanitizedAwsName('a b/c:d_e-f', false)).toBe('abcd_e-f');
  });

  it('cuts names at 80 characters', () => {
    expect(sanitizedAwsName('x'.repeat(100), false)).toHaveLength(80);
  });

  it('ends fifo names in .fifo, keeping an existing suffix and making room for it', () => {
    expect(sanitizedAwsName('orders', true)).toBe('orders.fifo');
    expect(sanitizedAwsName('orders.fifo', true)).toBe('orders.fifo');
    expect(sanitizedAwsName('x'.repeat(100), true)).toBe(`${'x'.repeat(75)}.fifo`);
  });

  it('drops the dot of .fifo when fifo is off', () => {
    expect(sanitizedAwsName('orders.fifo', false)).toBe('ordersfifo');
  });

  it('reads the entity name at the end of an ARN', () => {
    expect(nameOfArn('arn:aws:sns:us-east-1:123456789012:orderscreated')).toBe('orderscreated');
  });
});
