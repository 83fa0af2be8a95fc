import { plainReason } from './reasons';

const names = { name: (id: string) => ({ '104': 'Limited edition keyboard', '105': 'Kubernetes poster' })[id] ?? `product ${id}`, money: (n: number) => `¥${n}` };

describe('plainReason', () => {
  it('names the products that lack stock, with what was asked and what is left', () => {
    expect(plainReason('Lack of stock: 104 (requested 6, available 5), 105 (requested 11, available 10)', names)).toBe(
      'not enough stock of Limited edition keyboard (you asked for 6, 5 available) and Kubernetes poster (you asked for 11, 10 available).',
    );
  });

  it('explains a payment over the limit in money', () => {
    expect(plainReason('Payment of 96000 exceeds the limit of 50000', names)).toBe('the payment of ¥96000 is over the limit of ¥50000.');
  });

  it('names unknown products, and keeps any other message as it is', () => {
    expect(plainReason('Unknown product: 999', names)).toBe('we no longer sell product 999.');
    expect(plainReason('The reservation was rejected', names)).toBe('The reservation was rejected.');
    expect(plainReason(undefined, names)).toBeUndefined();
  });
});
