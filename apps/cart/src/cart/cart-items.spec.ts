import { addItem, asItems, removeItem, setQuantity } from './cart-items';

describe('cart items', () => {
  const items = [{ product_id: '100', quantity: 2 }];

  it('adds a new product as a line and adds to the quantity of an existing one', () => {
    expect(addItem(items, '101', 1)).toEqual([{ product_id: '100', quantity: 2 }, { product_id: '101', quantity: 1 }]);
    expect(addItem(items, '100', 3)).toEqual([{ product_id: '100', quantity: 5 }]);
  });

  it('sets a quantity, and removes the line at 0', () => {
    expect(setQuantity(items, '100', 7)).toEqual([{ product_id: '100', quantity: 7 }]);
    expect(setQuantity(items, '100', 0)).toEqual([]);
    expect(setQuantity(items, '102', 1)).toEqual([...items, { product_id: '102', quantity: 1 }]);
  });

  it('removes a line', () => {
    expect(removeItem(items, '100')).toEqual([]);
  });

  it('reads the article’s stored format, including string quantities', () => {
    expect(asItems([{ product_id: 100, quantity: '300' }])).toEqual([{ product_id: '100', quantity: 300 }]);
    expect(asItems('')).toEqual([]);
  });
});
