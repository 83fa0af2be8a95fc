import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;
const ID_BYTES = 24;
/** Random bytes are drawn in blocks: one syscall per 256 ids keeps publishing cheap. */
const POOL_BYTES = ID_BYTES * 256;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

/**
 * The W3C `traceparent` daprd writes into a published event: the caller's trace continues with a new span of
 * its own, or a new trace starts. Flags stay the caller's; a new trace is unsampled (`00`), as daprd's default
 * sampling rate leaves nearly every span.
 */
export function childTraceparent(incoming: string | undefined): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const at = offset;
  offset += ID_BYTES;
  const span = pool.toString('hex', at + 16, at + ID_BYTES);
  const parent = incoming ? TRACEPARENT.exec(incoming) : null;
  if (parent) return `00-${parent[1]}-${span}-${parent[2]}`;
  return `00-${pool.toString('hex', at, at + 16)}-${span}-00`;
}
