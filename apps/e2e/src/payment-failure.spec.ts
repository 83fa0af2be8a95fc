import { expect, test } from '@playwright/test';
import { addToCart, cartLine, checkOut, expectOrderEnds, newShopper, openStorefront, orderOutcome, product, stockShown } from './support/shop';

// Two keyboards cost ¥96,000, over payment's default PAYMENT_LIMIT of ¥50,000: payment refuses, and the saga
// compensates by releasing the stock it had reserved.
test('a refused payment cancels the order and puts the reserved stock back', async ({ page }, info) => {
  await openStorefront(page, newShopper(info));
  const before = await stockShown(page, 'Limited edition keyboard');
  expect(before, 'the flow needs two keyboards in stock').toBeGreaterThanOrEqual(2);

  await addToCart(page, 'Limited edition keyboard', 2);
  await expect(cartLine(page, 'Limited edition keyboard')).toBeVisible();
  await checkOut(page);
  await expectOrderEnds(page, 'REJECT');

  await expect(orderOutcome(page)).toContainText('Your order was cancelled.');
  await expect(orderOutcome(page)).toContainText('Reason: the payment of ¥96,000 is over the limit of ¥50,000.');
  await expect(page.locator('#order-history > li').last()).toContainText('Cancelled; everything was undone');
  await expect(page.locator('#order-history')).toContainText('Putting the reserved items back in stock');
  await expect.poll(() => stockShown(page, 'Limited edition keyboard')).toBe(before);
  await expect(product(page, 'Limited edition keyboard').locator('.stock')).not.toContainText('held');
});
