import { expect, test } from '@playwright/test';
import { screenshotPath } from './support/paths';
import { addToCart, cartLine, checkOut, expectFitsWidth, expectOrderEnds, newShopper, openStorefront, orderOutcome, orderStatus, product, stockShown } from './support/shop';

test('a shopper fills the cart, changes a quantity, removes a line and checks out: the order reaches DELIVERY_IN_PREPARATION', async ({ page }, info) => {
  await openStorefront(page, newShopper(info));
  const stickersBefore = await stockShown(page, 'Dapr sticker pack');

  await addToCart(page, 'Dapr sticker pack', 1);
  await expect(cartLine(page, 'Dapr sticker pack')).toBeVisible();
  // The rest from the keyboard alone: Enter in a quantity field submits it, Enter on a button presses it.
  await product(page, 'Sidecar mug').getByLabel('Quantity of Sidecar mug', { exact: true }).press('Enter');
  await expect(cartLine(page, 'Sidecar mug')).toBeVisible();

  const stickersInCart = page.getByLabel('Quantity of Dapr sticker pack in your cart', { exact: true });
  await stickersInCart.fill('2');
  await stickersInCart.press('Enter');
  await expect(cartLine(page, 'Dapr sticker pack')).toContainText('¥600');
  // The cart is drawn anew after a change; the focus stays where the shopper was.
  await expect(stickersInCart).toBeFocused();
  await expect(stickersInCart).toHaveValue('2');
  await page.getByRole('button', { name: 'Remove Sidecar mug' }).press('Enter');
  await expect(cartLine(page, 'Sidecar mug')).toHaveCount(0);
  await expect(page.locator('#cart-total')).toHaveText('Total: ¥600');

  await checkOut(page);
  await expect(page.locator('#order')).toBeFocused();
  await expectOrderEnds(page, 'DELIVERY_IN_PREPARATION');
  await expect(orderStatus(page)).toContainText('Delivery in preparation');
  await expect(orderOutcome(page)).toContainText('Thank you! Your order is confirmed.');
  await expect(page.locator('#order-history > li')).toHaveText([/Reserving your items/, /taking payment/, /confirming your items/, /Delivery in preparation/]);
  await expect(page.locator('#cart-lines')).toContainText('Your cart is empty.');
  await expect.poll(() => stockShown(page, 'Dapr sticker pack')).toBe(stickersBefore - 2);

  await page.screenshot({ path: screenshotPath('storefront-order-complete'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await expectFitsWidth(page);
  await page.screenshot({ path: screenshotPath('storefront-order-complete-375px'), fullPage: true });
});
