import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AppChannel } from '../app-channel';
import { errorMessage } from '../errors';
import type { BulkSubscribeSettings, RouteRule, SubscriptionResource } from '../resources/types';

export type SubscriptionType = 'DECLARATIVE' | 'PROGRAMMATIC';

/** One topic subscription as daprd runs it, whichever way it was declared. */
export interface Subscription {
  type: SubscriptionType;
  pubsubname: string;
  topic: string;
  /** `routes.rules`, then the default route (`routes.default`, or v1's `route`) as a rule without `match`. */
  rules: RouteRule[];
  metadata: Record<string, string>;
  deadLetterTopic?: string;
  bulkSubscribe?: BulkSubscribeSettings;
}

export function fromDeclarative(resources: SubscriptionResource[]): Subscription[] {
  return resources.map((s) => ({
    type: 'DECLARATIVE',
    pubsubname: s.pubsubname,
    topic: s.topic,
    rules: s.rules,
    metadata: s.metadata,
    deadLetterTopic: s.deadLetterTopic,
    bulkSubscribe: s.bulkSubscribe,
  }));
}

/** daprd's DaprBuiltInInitializationRetries for `/dapr/subscribe`: 3 tries, exponential from 500 ms. */
const INIT_ATTEMPTS = 3;
const INIT_FIRST_DELAY_MS = 500;

/**
 * `GET /dapr/subscribe` on the app, as daprd calls it once the app is reachable: with `dapr-app-id` and the app
 * token. A connection failure is retried; 404 means no subscriptions, any other status or a body that is not a
 * list is logged as an error and also means none.
 */
export async function fetchProgrammatic(channel: AppChannel, appId: string, logger: Logger, signal: AbortSignal): Promise<Subscription[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await channel.pool.request({
        method: 'GET',
        path: '/dapr/subscribe',
        headers: channel.stampToken({ 'dapr-app-id': appId, 'content-type': 'application/json' }) as Record<string, string>,
        signal,
      });
      const text = await res.body.text();
      if (res.statusCode === 404) {
        logger.debug('user app did not subscribe to any topic');
        return [];
      }
      if (res.statusCode !== 200) {
        logger.error(`app returned http status code ${res.statusCode} from subscription endpoint`);
        return [];
      }
      return parseProgrammatic(text, logger);
    } catch (err) {
      if (signal.aborted || attempt >= INIT_ATTEMPTS) {
        logger.error(`error getting topic list from app: ${errorMessage(err)}`);
        return [];
      }
      await sleep(INIT_FIRST_DELAY_MS * 1.5 ** (attempt - 1), undefined, { signal }).catch(() => undefined);
    }
  }
}

/** Reads `/dapr/subscribe`'s answer with Go's leniency: keys in any case, a missing leading `/` added. */
export function parseProgrammatic(text: string, logger: Logger): Subscription[] {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (err) {
    logger.error(`error getting topics from app: ${errorMessage(err)}`);
    return [];
  }
  if (items === null) return [];
  if (!Array.isArray(items)) {
    logger.error('error getting topics from app: /dapr/subscribe must answer a JSON list');
    return [];
  }
  const out: Subscription[] = [];
  for (const raw of items) {
    const item = lowerKeys(raw);
    const routes = lowerKeys(item['routes']);
    const rules: RouteRule[] = [];
    if (Array.isArray(routes['rules'])) {
      for (const r of routes['rules'].map(lowerKeys)) {
        if (typeof r['path'] === 'string' && r['path'] !== '') rules.push({ match: str(r['match']) || undefined, path: withLeadingSlash(r['path']) });
      }
    }
    const fallback = str(routes['default']) || str(item['route']);
    if (fallback) rules.push({ path: withLeadingSlash(fallback) });
    const topic = str(item['topic']);
    if (rules.length === 0) {
      logger.warn(`topic ${topic} has an empty route. removing from subscriptions list`);
      continue;
    }
    const bulk = lowerKeys(item['bulksubscribe']);
    out.push({
      type: 'PROGRAMMATIC',
      pubsubname: str(item['pubsubname']),
      topic,
      rules,
      metadata: stringMap(item['metadata']),
      deadLetterTopic: str(item['deadlettertopic']) || undefined,
      bulkSubscribe:
        bulk['enabled'] === true
          ? { enabled: true, maxMessagesCount: positive(bulk['maxmessagescount']), maxAwaitDurationMs: positive(bulk['maxawaitdurationms']) }
          : undefined,
    });
  }
  return out;
}

/** Both kinds run together; a second subscription to the same pub/sub and topic is ignored with a warning. */
export function mergeSubscriptions(programmatic: Subscription[], declarative: Subscription[], logger: Logger): Subscription[] {
  const seen = new Set<string>();
  const out: Subscription[] = [];
  for (const s of [...programmatic, ...declarative]) {
    const key = `${s.pubsubname}||${s.topic}`;
    if (seen.has(key)) {
      logger.warn(`a subscription to topic ${s.topic} on pubsub ${s.pubsubname} already exists; the ${s.type.toLowerCase()} one is ignored`);
      continue;
    }
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** The entry `/v1.0/metadata` shows, with daprd's omissions (`metadata` when empty, `match` on the default rule). */
export function describeSubscription(s: Subscription): Record<string, unknown> {
  const entry: Record<string, unknown> = { pubsubname: s.pubsubname, topic: s.topic };
  if (Object.keys(s.metadata).length > 0) entry['metadata'] = s.metadata;
  entry['rules'] = s.rules.map((r) => (r.match ? { match: r.match, path: r.path } : { path: r.path }));
  entry['deadLetterTopic'] = s.deadLetterTopic ?? '';
  entry['type'] = s.type;
  return entry;
}

function lowerKeys(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[k.toLowerCase()] = val;
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Subscription metadata is a string map; scalars of other types are kept as text rather than failing the list. */
function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = typeof val === 'string' ? val : JSON.stringify(val);
  return out;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

function withLeadingSlash(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}
