import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** The storefront as a shopper uses it: by labels and roles, as a screen reader would find things. */

/** A shopper id of its own per test, so flows never share a cart. */
export function newShopper(info: TestInfo): string {
  const slug = info.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 24);
  return `e2e-${slug}-${Date.now().toString(36)}`;
}

export async function openStorefront(page: Page, shopper: string): Promise<void> {
  await page.goto(`/?user=${encodeURIComponent(shopper)}`);
  await expect(page.getByRole('heading', { name: 'Storefront', level: 1 })).toBeVisible();
  await expect(page.locator('#products > li').first()).toBeVisible();
  await expect(page.locator('#cart-lines')).not.toContainText('Loading');
}

export function product(page: Page, name: string): Locator {
  return page.locator('#products > li').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** The stock level the page shows for a product ("12 in stock", "Out of stock"). */
export async function stockShown(page: Page, name: string): Promise<number> {
  const text = await product(page, name).locator('.stock').innerText();
  return text.startsWith('Out of stock') ? 0 : parseInt(text, 10);
}

export async function addToCart(page: Page, name: string, quantity: number): Promise<void> {
  const card = product(page, name);
  await card.getByLabel(`Quantity of ${name}`, { exact: true }).fill(String(quantity));
  await card.getByRole('button', { name: `Add to cart: ${name}` }).click();
}

export function cartLine(page: Page, name: string): Locator {
  return page.locator('#cart-lines > li.cart-line').filter({ hasText: name });
}

export async function checkOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByRole('heading', { name: 'Your order' })).toBeVisible();
}

export function orderStatus(page: Page): Locator {
  return page.locator('#order-status');
}

export function orderOutcome(page: Page): Locator {
  return page.locator('#order-outcome');
}

/** Waits for the saga to end in `status` (the page marks the status line with the order's state). */
export async function expectOrderEnds(page: Page, status: 'DELIVERY_IN_PREPARATION' | 'REJECT' | 'ERROR', timeout = 45_000): Promise<void> {
  await expect(orderStatus(page)).toHaveAttribute('data-status', status, { timeout });
}

/** No horizontal scrolling: the page fits the viewport it is shown in. */
export async function expectFitsWidth(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}
