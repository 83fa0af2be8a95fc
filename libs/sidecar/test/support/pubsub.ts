import type { ServerResponse } from 'node:http';
import { startTestApp, type RecordedRequest, type TestApp } from './test-app';

/** A Component file for `pubsub.in-memory` (or another type) with the given metadata. */
export function pubsubComponent(name: string, metadata: Record<string, string> = {}, type = 'pubsub.in-memory'): string {
  const items = Object.entries(metadata).map(([k, v]) => `  - name: ${k}\n    value: ${JSON.stringify(v)}`);
  return [
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    `metadata: {name: ${name}}`,
    'spec:',
    `  type: ${type}`,
    '  version: v1',
    ...(items.length > 0 ? ['  metadata:', ...items] : []),
    '',
  ].join('\n');
}

/** A Resiliency file giving `pubsub` a quick constant inbound retry, so retry tests stay fast. */
export function inboundRetry(pubsub: string, maxRetries: number, duration = '10ms'): string {
  return [
    'apiVersion: dapr.io/v1alpha1',
    'kind: Resiliency',
    'metadata: {name: quick-retries}',
    'spec:',
    '  policies:',
    '    retries:',
    `      quick: {policy: constant, duration: ${duration}, maxRetries: ${maxRetries}}`,
    '  targets:',
    '    components:',
    `      ${pubsub}: {inbound: {retry: quick}}`,
    '',
  ].join('\n');
}

export type Reply = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface SubscriberApp extends TestApp {
  /** Requests to one path (deliveries), in arrival order. */
  at(path: string): RecordedRequest[];
  /** Deliveries to one path, parsed as JSON. */
  events(path: string): Record<string, unknown>[];
}

/**
 * A real HTTP app that answers `GET /dapr/subscribe` with `subscriptions` (404 when undefined, as an app without
 * programmatic subscriptions does) and every delivery with `replies[path]`, or 200 and an empty body.
 */
export async function startSubscriberApp(subscriptions: unknown[] | undefined, replies: Record<string, Reply> = {}, port = 0): Promise<SubscriberApp> {
  const app = await startTestApp(async (req, res) => {
    if (req.url === '/dapr/subscribe') {
      if (subscriptions === undefined) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(subscriptions));
      return;
    }
    const reply = replies[req.url];
    if (reply) return reply(req, res);
    res.writeHead(200);
    res.end();
  }, port);
  const at = (path: string) => app.requests.filter((r) => r.url === path);
  return { ...app, at, events: (path) => at(path).map((r) => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>) };
}

/** Answers a delivery with `{"status": status}` (200). */
export function status(value: string): Reply {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: value }));
  };
}

/** Answers with an HTTP status and no body. */
export function httpStatus(code: number): Reply {
  return (_req, res) => {
    res.writeHead(code);
    res.end();
  };
}
