import type { ChainableCommander, Redis } from 'ioredis';
import type { ComponentContext } from '../registry';
import { closeRedis, connectRedis, parseRedisSettings, redisCommandError } from '../redis-connection';
import {
  EtagInvalidError,
  EtagMismatchError,
  type DeleteRequest,
  type SetRequest,
  type StateFeature,
  type StateStore,
  type StoredState,
  type TransactionOperation,
} from './state-store';

/**
 * The Lua that keeps daprd's Redis layout: each key is a HASH `{data: <JSON text>, version: <int>}` whose
 * `version` is the etag, incremented on every write, with TTL through EXPIRE/PERSIST. Checks and writes run
 * inside Redis, so a write (or a whole transaction) is atomic. Like daprd's script, a key of another type is
 * replaced on write, and a key written with first-write also gets daprd's `first-write` field.
 */
const GET_SCRIPT = `
local v = redis.call("HMGET", KEYS[1], "data", "version")
if not v[1] and not v[2] then return false end
return {v[1], v[2], redis.call("PTTL", KEYS[1])}
`;

/**
 * Operations in order, 5 arguments each: kind (set|del), etag ("" = none), data, first-write ("1"|"0"), ttl
 * seconds ("" = persist). Every check runs against the versions the earlier operations leave; any failure
 * aborts before the first write, so the whole list applies or nothing does.
 */
const OPS_SCRIPT = `
local staged = {}
for i = 1, #KEYS do
  local key, base = KEYS[i], (i - 1) * 5
  local kind, etag, fw = ARGV[base + 1], ARGV[base + 2], ARGV[base + 4]
  local current = staged[key]
  if current == nil then
    current = redis.pcall("HGET", key, "version")
    if type(current) == "table" then current = false end
  end
  if etag ~= "" then
    if current ~= etag then return redis.error_reply("ETAG_MISMATCH " .. key) end
  elseif kind == "set" and fw == "1" and current then
    return redis.error_reply("ETAG_MISMATCH " .. key)
  end
  if kind == "set" then staged[key] = tostring((tonumber(current) or 0) + 1) else staged[key] = false end
end
for i = 1, #KEYS do
  local key, base = KEYS[i], (i - 1) * 5
  if ARGV[base + 1] == "del" then
    redis.call("DEL", key)
  else
    if redis.call("TYPE", key).ok ~= "hash" then redis.call("DEL", key) end
    redis.call("HSET", key, "data", ARGV[base + 3])
    if ARGV[base + 4] == "1" then redis.call("HSET", key, "first-write", 0) end
    redis.call("HINCRBY", key, "version", 1)
    local ttl = tonumber(ARGV[base + 5])
    if ttl and ttl > 0 then redis.call("EXPIRE", key, ttl) else redis.call("PERSIST", key) end
  end
end
return #KEYS
`;

type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;
type StoredReply = [string | null, string | null, number] | null;

/** `state.redis`: daprd's Redis store on the wire, so an app on daprd and one on this sidecar share one Redis. */
export class RedisStateStore implements StateStore {
  readonly features: ReadonlySet<StateFeature> = new Set<StateFeature>(['ETAG', 'TRANSACTIONAL', 'TTL']);

  constructor(
    private readonly client: Redis,
    /** The component-level `ttlInSeconds`, applied when a request gives none. */
    private readonly defaultTtlSeconds: number | undefined,
  ) {
    client.defineCommand('daprStateGet', { numberOfKeys: 1, lua: GET_SCRIPT });
    client.defineCommand('daprStateOps', { lua: OPS_SCRIPT });
  }

  async get(key: string): Promise<StoredState | undefined> {
    try {
      return toStored(key, (await script(this.client, 'daprStateGet')(key)) as StoredReply);
    } catch (err) {
      throw redisCommandError(this.client, err);
    }
  }

  /** One round trip for all keys; not a snapshot, as daprd's bulk get is not. */
  async bulkGet(keys: string[]): Promise<(StoredState | undefined)[]> {
    if (keys.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const key of keys) script(pipeline, 'daprStateGet')(key);
    const replies = (await pipeline.exec().catch((err: unknown) => Promise.reject(redisCommandError(this.client, err)))) ?? [];
    return keys.map((key, i) => {
      const [err, reply] = replies[i] ?? [new Error('no reply')];
      if (err) throw err;
      return toStored(key, reply as StoredReply);
    });
  }

  async set(req: SetRequest): Promise<void> {
    await this.run([this.setOp(req)]);
  }

  async delete(req: DeleteRequest): Promise<void> {
    await this.run([{ kind: 'del', key: req.key, etag: req.etag }]);
  }

  async multi(ops: TransactionOperation[]): Promise<void> {
    await this.run(ops.map((op) => (op.operation === 'upsert' ? this.setOp(op.request) : { kind: 'del' as const, key: op.request.key, etag: op.request.etag })));
  }

  async close(): Promise<void> {
    await closeRedis(this.client);
  }

  private setOp(req: SetRequest): ScriptOp {
    // daprd's etags on Redis are versions: anything else is an invalid etag (400), not a mismatch (409).
    if (req.etag !== undefined && req.etag !== '' && !/^\d+$/.test(req.etag)) throw new EtagInvalidError(req.etag);
    return { kind: 'set', key: req.key, etag: req.etag, data: req.value, firstWrite: req.concurrency === 'first-write', ttlSeconds: req.ttlSeconds ?? this.defaultTtlSeconds };
  }

  private async run(ops: ScriptOp[]): Promise<void> {
    const args: (string | number)[] = [ops.length];
    for (const op of ops) args.push(op.key);
    for (const op of ops) {
      const ttl = op.ttlSeconds !== undefined && op.ttlSeconds > 0 ? String(op.ttlSeconds) : '';
      args.push(op.kind, op.etag ?? '', op.data ?? '', op.firstWrite ? '1' : '0', ttl);
    }
    try {
      await script(this.client, 'daprStateOps')(...args);
    } catch (err) {
      const match = /ETAG_MISMATCH (.*)$/.exec(err instanceof Error ? err.message : '');
      if (match) throw new EtagMismatchError(match[1]!);
      throw redisCommandError(this.client, err);
    }
  }
}

interface ScriptOp {
  kind: 'set' | 'del';
  key: string;
  etag?: string;
  data?: string;
  firstWrite?: boolean;
  ttlSeconds?: number;
}

/** Commands added with defineCommand (EVALSHA, falling back to EVAL after a Redis restart empties its script cache). */
function script(target: Redis | ChainableCommander, name: 'daprStateGet' | 'daprStateOps'): ScriptCall {
  const fn = (target as unknown as Record<string, ScriptCall>)[name]!;
  return fn.bind(target);
}

function toStored(key: string, reply: StoredReply): StoredState | undefined {
  if (!reply) return undefined;
  const [data, version, pttl] = reply;
  // daprd refuses a hash without both fields the same way.
  if (data === null || version === null) throw new Error(`required hash field 'data' or 'version' was not found for key ${key}`);
  return { value: data, etag: version, expireTime: pttl > 0 ? new Date(Date.now() + pttl) : undefined };
}

export async function createRedisStateStore(ctx: ComponentContext): Promise<StateStore> {
  const settings = parseRedisSettings(ctx.metadata);
  const ttl = ctx.metadata.has('ttlInSeconds') ? ctx.metadata.int('ttlInSeconds', 0) : undefined;
  if (ctx.metadata.has('queryIndexes')) ctx.logger.warn('queryIndexes is set, but this sidecar does not implement the state query API on Redis');
  const client = await connectRedis(settings, { role: 'redis store', logger: ctx.logger });
  return new RedisStateStore(client, ttl);
}
