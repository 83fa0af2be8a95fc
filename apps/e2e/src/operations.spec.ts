import { expect, test } from '@playwright/test';
import { screenshotPath } from './support/paths';
import { expectFitsWidth } from './support/shop';

const APP_IDS = ['front', 'svc-a', 'svc-b', 'cart', 'order', 'stock', 'payment'];

test('the operations page lists every app healthy, with its sidecar’s components and subscriptions', async ({ page }) => {
  await page.goto('/operations');
  const apps = page.locator('#apps > li');
  await expect(apps).toHaveCount(APP_IDS.length);
  for (const appId of APP_IDS) {
    await expect(page.getByRole('listitem', { name: appId, exact: true }).locator('.badge'), `${appId} is healthy`).toHaveText('Healthy');
  }
  await expect(page.locator('#apps-updated')).toContainText(`${APP_IDS.length} of ${APP_IDS.length} apps healthy`);
  await expect(page.locator('#orders > li').first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('operations'), fullPage: true });

  for (const appId of APP_IDS) {
    await expect(page.getByRole('listitem', { name: appId, exact: true }), `${appId}'s sidecar shows its components`).toContainText('Components');
  }
  // What the sidecars loaded: the cart's state store, and the article's subscription on stock and payment.
  await expect(page.getByRole('listitem', { name: 'cart', exact: true })).toContainText('cart state.');
  for (const subscriber of ['stock', 'payment']) {
    await expect(page.getByRole('listitem', { name: subscriber, exact: true })).toContainText('order-pubsub/order → /order');
  }
  await page.setViewportSize({ width: 375, height: 812 });
  await expectFitsWidth(page);
  await page.screenshot({ path: screenshotPath('operations-375px'), fullPage: true });
});
