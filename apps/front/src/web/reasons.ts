/** Turns the saga's reply messages into sentences a shopper can read, naming products instead of ids. */

export interface ProductNames {
  name(productId: string): string;
  money(amount: number): string;
}

const LACK_OF_STOCK = /^Lack of stock: (.+)$/;
const SHORT_ITEM = /^(\S+) \(requested (\d+), available (\d+)\)$/;
const UNKNOWN_PRODUCT = /^Unknown product: (.+)$/;
const OVER_LIMIT = /^Payment of (\d+) exceeds the limit of (\d+)$/;

export function plainReason(message: string | undefined, names: ProductNames): string | undefined {
  if (!message) return undefined;
  const lack = LACK_OF_STOCK.exec(message);
  if (lack) {
    const items = lack[1]!.split(/, (?=\S+ \(requested)/).map((item) => {
      const m = SHORT_ITEM.exec(item);
      return m ? `${names.name(m[1]!)} (you asked for ${m[2]}, ${m[3]} available)` : item;
    });
    return `not enough stock of ${items.join(' and ')}.`;
  }
  const unknown = UNKNOWN_PRODUCT.exec(message);
  if (unknown) return `we no longer sell ${unknown[1]!.split(', ').map((id) => names.name(id)).join(' and ')}.`;
  const limit = OVER_LIMIT.exec(message);
  if (limit) return `the payment of ${names.money(Number(limit[1]))} is over the limit of ${names.money(Number(limit[2]))}.`;
  return message.endsWith('.') ? message : `${message}.`;
}
