import { Injectable } from '@nestjs/common';
import { DEMO_SUBSCRIPTION, type AppName } from '@repo/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppNotAnswering } from '../upstream/app-not-answering';
import { Upstream } from '../upstream/upstream';
import type { DemoCallView, DemoName, DemoResultView } from '../web/views';

/** The article's svc-c body: product 100, quantity "300" (a string, as the article sends it). */
const ARTICLE_CART_LINE = { product_id: '100', quantity: '300' };
/** The article's order app publishes on every request; ours on its root route (`GET /`). */
const ORDER_DEMO_METHOD = '';
/** How long the publish demo waits to see the message arrive at both subscribers. */
const DELIVERY_WAIT_MS = 5000;
const SUBSCRIBERS: AppName[] = ['stock', 'payment'];
const RECEIVED_METHOD = `${DEMO_SUBSCRIPTION.route.slice(1)}/received`;

/** The article's demos, each through the front's sidecar, with every call and its answer shown as it came. */
@Injectable()
export class DemosService {
  constructor(private readonly upstream: Upstream) {}

  async run(demo: DemoName): Promise<DemoResultView> {
    switch (demo) {
      case 'invoke-svc-a':
        return { demo, calls: [await this.call('svc-a', 'GET', 'api-a1')] };
      case 'cart-save':
        return { demo, calls: [await this.call('cart', 'POST', 'save', ARTICLE_CART_LINE)] };
      case 'cart-get':
        return { demo, calls: [await this.call('cart', 'GET', 'get')] };
      case 'publish-order':
        return { demo, calls: await this.publishOrder() };
    }
  }

  /** order publishes `{"id":"0001","name":"sample"}`; stock and payment each show the message they received. */
  private async publishOrder(): Promise<DemoCallView[]> {
    const before = await Promise.all(SUBSCRIBERS.map((app) => this.receivedCount(app)));
    const published = await this.call('order', 'GET', ORDER_DEMO_METHOD);
    if (published.status >= 300) return [published];
    const deadline = Date.now() + DELIVERY_WAIT_MS;
    for (;;) {
      const now = await Promise.all(SUBSCRIBERS.map((app) => this.receivedCount(app)));
      if (now.every((n, i) => n > before[i]!) || Date.now() > deadline) break;
      await sleep(200);
    }
    const received = await Promise.all(SUBSCRIBERS.map((app) => this.call(app, 'GET', RECEIVED_METHOD)));
    return [published, ...received.map(latestOnly)];
  }

  private async receivedCount(app: AppName): Promise<number> {
    const call = await this.call(app, 'GET', RECEIVED_METHOD);
    try {
      return call.status === 200 ? Number((JSON.parse(call.body) as { count?: unknown }).count ?? 0) : 0;
    } catch {
      return 0;
    }
  }

  private async call(appId: AppName, httpMethod: string, method: string, body?: unknown): Promise<DemoCallView> {
    const request = `${httpMethod} /${method} on ${appId}`;
    try {
      const res = await this.upstream.invoke(appId, method, { httpMethod, body });
      const contentType = res.headers['content-type'];
      return { request, status: res.status, contentType: typeof contentType === 'string' ? contentType : '', body: res.text() };
    } catch (err) {
      if (!(err instanceof AppNotAnswering)) throw err;
      return { request, status: 503, contentType: 'text/plain', body: `${err.message} (${err.detail})` };
    }
  }
}

/** A subscriber keeps its last 100 messages; the demo shows how many arrived and the latest one. */
function latestOnly(call: DemoCallView): DemoCallView {
  if (call.status !== 200) return call;
  try {
    const { count, messages } = JSON.parse(call.body) as { count?: unknown; messages?: unknown[] };
    return { ...call, body: JSON.stringify({ count, latest: Array.isArray(messages) ? messages.at(-1) : undefined }) };
  } catch {
    return call;
  }
}
