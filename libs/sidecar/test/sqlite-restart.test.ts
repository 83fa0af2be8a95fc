import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiOf } from './support/api-call';
import { startSidecar } from './support/sidecar-process';

/** state.sqlite keeps what it stored across a restart of the sidecar that uses the same file. */

const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sidecar-sqlite-')), 'nested', 'state.db');
const resources = {
  'sqlite.yaml': `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: cart}
spec:
  type: state.sqlite
  version: v1
  metadata:
  - {name: connectionString, value: "${file}"}
`,
};

describe('state.sqlite across a sidecar restart', () => {
  it('returns the same value and etag after the sidecar is stopped and started again on the same file', async () => {
    const first = await startSidecar({ appId: 'cart', resources });
    let etag: string;
    try {
      const api = apiOf(first.url);
      expect((await api('POST', '/v1.0/state/cart', [{ key: 'kept', value: { qty: 2 } }, { key: 'removed', value: 1 }])).status).toBe(204);
      expect((await api('DELETE', '/v1.0/state/cart/removed')).status).toBe(204);
      etag = (await api('GET', '/v1.0/state/cart/kept')).headers.get('etag')!;
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startSidecar({ appId: 'cart', resources });
    try {
      const api = apiOf(second.url);
      const kept = await api('GET', '/v1.0/state/cart/kept');
      expect(kept.status).toBe(200);
      expect(kept.json()).toEqual({ qty: 2 });
      expect(kept.headers.get('etag')).toBe(etag);
      expect((await api('GET', '/v1.0/state/cart/removed')).status).toBe(204);
      // The etag from before the restart is still the current one.
      expect((await api('POST', '/v1.0/state/cart', [{ key: 'kept', value: 3, etag }])).status).toBe(204);
    } finally {
      await second.stop();
    }
  });
});
