import type { Pool as UndiciPool } from 'undici';

/**
 * undici's Pool without the rest of undici. `require('undici')` loads everything it offers (fetch, WebSocket,
 * caches, mocks, interceptors): measured on a 2-core machine it is about half of the sidecar's start, for one
 * class the sidecar uses. undici has no `exports` map, so its modules can be required one by one; its index
 * attaches request/stream/pipeline to Dispatcher.prototype, which is done here the same way (idempotent, so a
 * later `require('undici')` in the same process changes nothing). The types are undici's public ones.
 */
const Dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
Object.assign(Dispatcher.prototype, require('undici/lib/api') as object);

export const Pool = require('undici/lib/dispatcher/pool') as typeof UndiciPool;
export type Pool = UndiciPool;
