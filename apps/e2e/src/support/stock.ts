import { APPS } from '@repo/contracts';
import { portOf } from './paths';

/** Stock levels the flows start from (the demo catalogue's), whatever earlier runs left in the state store. */
export const START_LEVELS: Record<string, number> = { '100': 100, '101': 50, '102': 30, '103': 20, '104': 5, '105': 10 };

/**
 * Test set-up only, not a flow: sets the levels through service invocation on the front's sidecar (stock's
 * `PUT /stock/products/:id`), the same road the front itself takes.
 */
export async function restock(): Promise<void> {
  const sidecar = `http://127.0.0.1:${portOf('E2E_FRONT_DAPR_PORT', APPS.front.daprHttpPort)}/v1.0/invoke/stock/method/stock/products`;
  for (const [productId, quantity] of Object.entries(START_LEVELS)) {
    const res = await fetch(`${sidecar}/${productId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quantity }) });
    if (!res.ok) throw new Error(`restocking product ${productId} failed: ${res.status} ${await res.text()}`);
  }
}

