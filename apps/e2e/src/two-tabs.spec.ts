import { expect, test } from '@playwright/test';
import { addToCart, cartLine, newShopper, openStorefront } from './support/shop';

test('two tabs editing one cart: the stale tab is told and shown the latest cart, and no change is lost', async ({ context }, info) => {
  const shopper = newShopper(info);
  const first = await context.newPage();
  await openStorefront(first, shopper);
  await addToCart(first, 'Dapr sticker pack', 1);
  await expect(cartLine(first, 'Dapr sticker pack')).toBeVisible();

  const second = await context.newPage();
  await openStorefront(second, shopper);
  await expect(cartLine(second, 'Dapr sticker pack')).toBeVisible();

  await addToCart(first, 'Sidecar mug', 1);
  await expect(cartLine(first, 'Sidecar mug')).toBeVisible();

  // The second tab still shows the cart without the mug: its change is refused rather than overwriting the first's.
  await addToCart(second, 'Saga T-shirt', 1);
  await expect(second.locator('#cart-message')).toContainText('Your cart was changed in another tab or window');
  await expect(cartLine(second, 'Sidecar mug')).toBeVisible();
  await expect(cartLine(second, 'Saga T-shirt')).toHaveCount(0);

  // Shown the latest cart, the shopper makes the change again, and it goes through.
  await addToCart(second, 'Saga T-shirt', 1);
  await expect(cartLine(second, 'Saga T-shirt')).toBeVisible();

  await first.reload();
  for (const name of ['Dapr sticker pack', 'Sidecar mug', 'Saga T-shirt']) await expect(cartLine(first, name)).toBeVisible();
});
