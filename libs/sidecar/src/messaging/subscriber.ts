import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageHandler } from '../components/pubsub/pubsub';
import { errorMessage } from '../errors';
import { CLOUDEVENT_CONTENT_TYPE } from './cloudevents';
import { deliveryHeaders, postEvent, type AppVerdict } from './delivery';
import { deadLetter, failed, prepare, StoppedError, type Deliverable, type SubscriptionContext } from './inbound';
import { retryDelay } from './retry';

/**
 * The broker handler of a subscription that delivers one event per request. Resolving acks, throwing nacks:
 * a message is acked once the app took it (or dropped it, or it went to the dead-letter topic), never because
 * the sidecar is stopping.
 */
export function singleHandler(ctx: SubscriptionContext): MessageHandler {
  return async (msg) => {
    let item: Deliverable | undefined;
    try {
      item = await prepare(ctx, msg);
    } catch (err) {
      ctx.logger.error(`cannot deliver a message of topic ${msg.topic}: ${errorMessage(err)}`);
      return failed(ctx, msg, err);
    }
    if (!item) return;
    let verdict: AppVerdict;
    try {
      verdict = await deliverWithRetries(ctx, item);
    } catch (err) {
      if (!(err instanceof StoppedError)) ctx.logger.warn(`delivery of event ${String(item.event['id'])} to ${item.path} failed: ${errorMessage(err)}`);
      return failed(ctx, msg, err);
    }
    if (verdict === 'drop') {
      ctx.logger.warn(`the app dropped pub/sub event ${String(item.event['id'])} (DROP status or 404 from ${item.path})`);
      if (ctx.subscription.deadLetterTopic && !(await deadLetter(ctx, msg))) throw new Error('the dropped message could not be dead-lettered');
    }
  };
}

/** Calls the app until it answers, the inbound retry policy gives up, or the shutdown's grace period ends. */
export async function deliverWithRetries(ctx: SubscriptionContext, item: Deliverable): Promise<AppVerdict> {
  const headers = deliveryHeaders(ctx.channel, item.metadata, item.event, CLOUDEVENT_CONTENT_TYPE);
  for (let attempt = 1; ; attempt++) {
    try {
      return await postEvent(ctx.channel, { path: item.path, body: item.body, headers, signal: attemptSignal(ctx) });
    } catch (err) {
      if (ctx.stopSignal.aborted) throw new StoppedError();
      const delay = retryDelay(ctx.policy.retry, attempt, err);
      if (delay === undefined) throw err;
      ctx.logger.warn(`retrying pub/sub event ${String(item.event['id'])} in ${Math.round(delay)} ms (retry ${attempt}): ${errorMessage(err)}`);
      await waitOrStop(ctx, delay);
    }
  }
}

export async function waitOrStop(ctx: SubscriptionContext, ms: number): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: ctx.stopSignal });
  } catch {
    throw new StoppedError();
  }
}

export function attemptSignal(ctx: SubscriptionContext): AbortSignal {
  const timeout = ctx.policy.timeoutMs;
  return timeout ? AbortSignal.any([ctx.stopSignal, AbortSignal.timeout(timeout)]) : ctx.stopSignal;
}
