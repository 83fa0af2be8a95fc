import { APPS } from '@repo/contracts';
import { expect, test } from '@playwright/test';
import { portOf, screenshotPath } from './support/paths';
import { freeze, pidListeningOn } from './support/processes';
import { addToCart, checkOut, expectOrderEnds, newShopper, openStorefront, orderOutcome, orderStatus } from './support/shop';

// Payment stops answering mid-run (its process is frozen with SIGSTOP: it holds its port and answers nothing;
// its sidecar keeps the saga's message for it). The page says so; once payment is back, the order completes.
test('with payment stopped the page says so, and the order completes once payment is back', async ({ page }, info) => {
  await openStorefront(page, newShopper(info));
  await addToCart(page, 'Dapr sticker pack', 1);
  await expect(page.locator('#cart-lines')).toContainText('Dapr sticker pack');

  const payment = freeze(pidListeningOn(portOf('E2E_PAYMENT_PORT', APPS.payment.appPort)));
  try {
    await checkOut(page);
    await expect(orderStatus(page)).toHaveAttribute('data-status', 'PAYMENT_CREATE_DOING');
    await expect(page.getByRole('alert')).toHaveText('Payment is not answering; your order will continue when it is back.');
    await page.screenshot({ path: screenshotPath('storefront-payment-stopped'), fullPage: true });
  } finally {
    payment.resume();
  }

  await expectOrderEnds(page, 'DELIVERY_IN_PREPARATION');
  await expect(orderOutcome(page)).toContainText('Thank you! Your order is confirmed.');
  await expect(page.locator('#order-notice')).toBeHidden();
});
