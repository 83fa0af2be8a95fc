import { expect, test } from '@playwright/test';
import { addToCart, cartLine, checkOut, expectOrderEnds, newShopper, openStorefront, orderOutcome, stockShown } from './support/shop';

test('an order for more than is in stock is refused with its reason, and holds no stock', async ({ page }, info) => {
  await openStorefront(page, newShopper(info));
  const available = await stockShown(page, 'Kubernetes poster');

  await addToCart(page, 'Kubernetes poster', available + 1);
  await expect(cartLine(page, 'Kubernetes poster')).toBeVisible();
  await checkOut(page);
  await expectOrderEnds(page, 'ERROR');

  await expect(orderOutcome(page)).toContainText('Your order could not be placed.');
  await expect(orderOutcome(page)).toContainText(`Reason: not enough stock of Kubernetes poster (you asked for ${available + 1}, ${available} available).`);
  await expect.poll(() => stockShown(page, 'Kubernetes poster')).toBe(available);
});
