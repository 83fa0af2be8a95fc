import { randomUUID } from 'node:crypto';
import type { MessageHandler, ReceivedMessage } from '../components/pubsub/pubsub';
import { errorMessage } from '../errors';
import { deliveryHeaders, send } from './delivery';
import { deadLetter, failed, isRawPayload, prepare, StoppedError, type Deliverable, type SubscriptionContext } from './inbound';
import { retryDelay, RetriableError } from './retry';
import { attemptSignal, waitOrStop } from './subscriber';

/** daprd's defaults for `bulkSubscribe`. */
export const DEFAULT_MAX_MESSAGES = 100;
const DEFAULT_MAX_AWAIT_MS = 1000;

interface Pending {
  msg: ReceivedMessage;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Entry extends Pending {
  entryId: string;
  item: Deliverable;
}

export interface BulkHandler {
  handler: MessageHandler;
  /** Nacks the messages still waiting for their batch. */
  stop(): void;
}

/**
 * Bulk subscribe over any broker (daprd's default bulk subscriber): messages wait until `maxMessagesCount` have
 * arrived or `maxAwaitDurationMs` passed, then go to the app in one POST per route, and each message is acked or
 * nacked by its own entry status. Entries that ask for RETRY are sent again, alone, under the retry policy.
 */
export function bulkHandler(ctx: SubscriptionContext): BulkHandler {
  const settings = ctx.subscription.bulkSubscribe;
  const maxMessages = settings?.maxMessagesCount ?? DEFAULT_MAX_MESSAGES;
  const maxAwaitMs = settings?.maxAwaitDurationMs ?? DEFAULT_MAX_AWAIT_MS;
  let batch: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const taken = batch;
    batch = [];
    if (taken.length === 0) return;
    deliverBatch(ctx, taken).catch((err: unknown) => {
      // Settling twice is harmless: whatever was already acked stays acked, the rest is nacked.
      ctx.logger.error(`bulk delivery failed: ${errorMessage(err)}`);
      taken.forEach((p) => p.reject(err));
    });
  };

  return {
    handler: (msg) =>
      new Promise<void>((resolve, reject) => {
        batch.push({ msg, resolve, reject });
        if (batch.length >= maxMessages) flush();
        else timer ??= setTimeout(flush, maxAwaitMs);
      }),
    stop: () => {
      clearTimeout(timer);
      batch.splice(0).forEach((p) => p.reject(new StoppedError()));
    },
  };
}

async function deliverBatch(ctx: SubscriptionContext, batch: Pending[]): Promise<void> {
  const byPath = new Map<string, Entry[]>();
  await Promise.all(
    batch.map(async (p) => {
      try {
        const item = await prepare(ctx, p.msg);
        if (!item) return p.resolve();
        const group = byPath.get(item.path) ?? [];
        group.push({ ...p, entryId: randomUUID(), item });
        byPath.set(item.path, group);
      } catch (err) {
        ctx.logger.error(`cannot deliver a message of topic ${p.msg.topic}: ${errorMessage(err)}`);
        settle(p, failed(ctx, p.msg, err));
      }
    }),
  );
  await Promise.all([...byPath].map(([path, entries]) => deliverWithRetries(ctx, path, entries)));
}

async function deliverWithRetries(ctx: SubscriptionContext, path: string, entries: Entry[]): Promise<void> {
  let remaining = entries;
  for (let attempt = 1; remaining.length > 0; attempt++) {
    let retry: Entry[];
    let cause: unknown;
    try {
      retry = await postBatch(ctx, path, remaining);
      cause = new RetriableError('RETRY required while processing bulk subscribe event');
    } catch (err) {
      retry = remaining;
      cause = err;
    }
    if (retry.length === 0) return;
    const delay = ctx.stopSignal.aborted ? undefined : retryDelay(ctx.policy.retry, attempt, cause);
    if (delay === undefined) {
      for (const e of retry) settle(e, failed(ctx, e.msg, ctx.stopSignal.aborted ? new StoppedError() : cause));
      return;
    }
    ctx.logger.warn(`retrying ${retry.length} bulk entries in ${Math.round(delay)} ms (retry ${attempt}): ${errorMessage(cause)}`);
    try {
      await waitOrStop(ctx, delay);
    } catch (err) {
      for (const e of retry) e.reject(err);
      return;
    }
    remaining = retry;
  }
}

/** One bulk POST; settles the entries the app decided on and returns those to retry. Throws when all must retry. */
async function postBatch(ctx: SubscriptionContext, path: string, entries: Entry[]): Promise<Entry[]> {
  const { target, subscription } = ctx;
  const raw = isRawPayload(subscription.metadata);
  const items = entries.map((e) => {
    const event = raw ? JSON.stringify(e.msg.data.toString('base64')) : e.item.body.toString('utf8');
    const contentType = raw ? 'application/octet-stream' : 'application/cloudevents+json';
    return `{"entryId":${JSON.stringify(e.entryId)},"event":${event},"contentType":"${contentType}","metadata":${JSON.stringify(e.item.metadata)}}`;
  });
  const head = { id: randomUUID(), type: 'com.dapr.event.sent.bulk', topic: entries[0]!.item.topic, pubsubname: target.name, metadata: {} };
  const body = Buffer.from(`${JSON.stringify(head).slice(0, -1)},"entries":[${items.join(',')}]}`, 'utf8');
  const headers = deliveryHeaders(ctx.channel, { pubsubname: target.name }, undefined, 'application/json');
  const { statusCode, text } = await send(ctx.channel, { path, body, headers, signal: attemptSignal(ctx) });

  if (statusCode === 404) {
    ctx.logger.error(`non-retriable error returned from app while processing bulk pub/sub event. status code returned: ${statusCode}`);
    for (const e of entries) settle(e, dropped(ctx, e));
    return [];
  }
  if (statusCode < 200 || statusCode > 299) throw new RetriableError(`retriable error returned from app while processing bulk pub/sub event, status code returned: ${statusCode}`, statusCode);
  const statuses = statusesOf(text);
  if (!statuses) throw new RetriableError('failed unmarshalling app response for bulk subscribe');
  const retry: Entry[] = [];
  for (const e of entries) {
    const status = statuses.get(e.entryId);
    if (status === 'SUCCESS') e.resolve();
    else if (status === 'DROP') settle(e, dropped(ctx, e));
    else retry.push(e); // RETRY, "", an unknown status, or no status at all
  }
  return retry;
}

async function dropped(ctx: SubscriptionContext, e: Entry): Promise<void> {
  ctx.logger.warn(`DROP status returned from app while processing pub/sub event ${String(e.item.event['id'])}`);
  if (ctx.subscription.deadLetterTopic && !(await deadLetter(ctx, e.msg))) throw new Error('the dropped message could not be dead-lettered');
}

function settle(p: Pending, outcome: Promise<void>): void {
  outcome.then(p.resolve, p.reject);
}

/** `{"statuses":[{"entryId","status"}]}` → entryId → status; undefined when the body is not that shape. */
function statusesOf(text: string): Map<string, string> | undefined {
  try {
    const parsed = JSON.parse(text) as { statuses?: unknown };
    const list = parsed?.statuses;
    const out = new Map<string, string>();
    if (list === undefined || list === null) return out;
    if (!Array.isArray(list)) return undefined;
    for (const s of list as { entryId?: unknown; status?: unknown }[]) {
      if (typeof s?.entryId === 'string') out.set(s.entryId, typeof s.status === 'string' ? s.status : '');
    }
    return out;
  } catch {
    return undefined;
  }
}
