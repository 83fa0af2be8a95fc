import { expect, test, type Page } from '@playwright/test';
import { screenshotPath } from './support/paths';

async function runDemo(page: Page, button: string, result: string): Promise<ReturnType<Page['locator']>> {
  await page.getByRole('button', { name: button }).click();
  const out = page.locator(`#${result}`);
  await expect(out).not.toContainText('Calling…');
  return out;
}

test('the article’s demos run from the operations page and show what came back', async ({ page }) => {
  await page.goto('/operations');

  const invoke = await runDemo(page, 'Call svc-a → svc-b', 'demo-invoke-svc-a');
  await expect(invoke).toContainText('GET /api-a1 on svc-a → 200');
  await expect(invoke).toContainText('svc-b api-b1 called!');

  const save = await runDemo(page, 'Save the cart', 'demo-cart-save');
  await expect(save).toContainText('POST /save on cart → 200');
  await expect(save.locator('pre')).toHaveText('OK');

  const read = await runDemo(page, 'Read the cart', 'demo-cart-get');
  await expect(read).toContainText('GET /get on cart → 200');
  await expect(read.locator('pre')).toContainText('"product_id": "100"');
  await expect(read.locator('pre')).toContainText('"quantity": 300');

  const publish = await runDemo(page, 'Publish the order message', 'demo-publish-order');
  await expect(publish).toContainText('→ 200');
  await expect(publish).toContainText('Hello Hiroba');
  // Both subscribers show the article's message among what they received.
  for (const subscriber of ['stock', 'payment']) {
    const call = publish.locator('.demo-call').filter({ hasText: `GET /order/received on ${subscriber} → 200` });
    await expect(call.locator('pre')).toContainText('"name": "sample"');
  }
  await page.locator('section', { has: page.locator('#demos-heading') }).screenshot({ path: screenshotPath('operations-demos') });
});
