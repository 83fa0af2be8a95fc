import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, StorageType } from 'nats';
import { component, jsonPayload, profileArgs, writeResources, type BenchContext } from '../context';
import { TIME_MARKER } from '../load/drivers';
import type { LatencySummary } from '../load/histogram';
import { measurePaths, type Measured } from '../load/measure';
import { startSidecar, startTargetApp } from '../procs/processes';

export const NATS_URL = 'nats://127.0.0.1:4222';

export interface PublishResults {
  sidecarJetStream: Measured;
  directJetStream: Measured;
  sidecarInMemory: Measured;
  bulk: { size: number; sidecarJetStream: Measured; sidecarInMemory: Measured };
  delivery: { rate: number; published: number; delivered: number; latency: LatencySummary } | { notMeasured: string };
}

/**
 * Publish through the sidecar (pubsub.jetstream, and pubsub.in-memory for Dapr's in-memory figure) against a
 * direct nats.js JetStream publish on the same stream; bulk publish; and publish-to-delivery through a second
 * sidecar to a subscriber app. The stream is the bench's own and is deleted at the end.
 */
export async function publishSection(ctx: BenchContext): Promise<PublishResults> {
  const { lg, config } = ctx;
  const cfg = config.publish;
  const run = `${process.pid}_${Date.now()}`;
  const stream = `BENCH_${run}`;
  const pubTopic = `bench.${run}.publish`;
  const deliverTopic = `bench.${run}.deliver`;
  const admin = await connect({ servers: NATS_URL });
  const jsm = await admin.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [pubTopic, deliverTopic], storage: StorageType.File, max_bytes: 1 << 30 });
  try {
    const jetstream = (name: string, durable?: string) => component(name, 'pubsub.jetstream', { natsURL: NATS_URL, streamName: stream, ...(durable && { durableName: durable }) });
    const registryDir = path.join(ctx.tmp, 'registry-publish');
    const publisher = await startSidecar({
      appId: 'bench-publisher',
      resourcesDir: writeResources(ctx, 'publisher', [jetstream('jetstream'), component('memory', 'pubsub.in-memory')].join('\n---\n')),
      registryDir,
      nodeArgs: profileArgs(ctx, 'publish'),
    });
    const subscriberApp = await startTargetApp({ SUBSCRIBE_PUBSUB: 'jetstream', SUBSCRIBE_TOPIC: deliverTopic });
    const subscriber = await startSidecar({
      appId: 'bench-subscriber',
      appPort: subscriberApp.port,
      resourcesDir: writeResources(ctx, 'subscriber', jetstream('jetstream', `bench_${run}`)),
      registryDir,
    });

    const payload = jsonPayload(1024, { kind: 'bench' });
    const bulkBody = JSON.stringify(
      Array.from({ length: cfg.bulkSize }, (_, i) => ({ entryId: String(i), event: JSON.parse(payload) as unknown, contentType: 'application/json' })),
    );
    const http = (p: string, body: string, stampTime = false) => lg.open({ kind: 'http', origin: publisher.url, method: 'POST', path: p, body, stampTime, connections: cfg.connections });
    const watch = [{ label: 'publishing sidecar', pid: publisher.pid }];
    ctx.log(`publish: single at ${cfg.rate}/s, bulk of ${cfg.bulkSize} at ${cfg.bulkRate}/s, ${cfg.durationMs / 1000} s each`);
    const singles = {
      sidecarJetStream: await http(`/v1.0/publish/jetstream/${pubTopic}`, payload),
      directJetStream: await lg.open({ kind: 'nats-publish', url: NATS_URL, subject: pubTopic, payload }),
      sidecarInMemory: await http(`/v1.0/publish/memory/${pubTopic}`, payload),
    };
    const single = await measurePaths(
      lg,
      Object.entries(singles).map(([name, session]) => ({ name, session, watch: name.startsWith('sidecar') ? watch : [] })),
      { rate: cfg.rate, warmupMs: cfg.warmupMs, rounds: 1, roundMs: cfg.durationMs },
    );
    const bulks = {
      sidecarJetStream: await http(`/v1.0-alpha1/publish/bulk/jetstream/${pubTopic}`, bulkBody),
      sidecarInMemory: await http(`/v1.0-alpha1/publish/bulk/memory/${pubTopic}`, bulkBody),
    };
    const bulk = await measurePaths(
      lg,
      Object.entries(bulks).map(([name, session]) => ({ name, session, watch })),
      { rate: cfg.bulkRate, warmupMs: cfg.warmupMs, rounds: 1, roundMs: cfg.durationMs },
    );
    for (const s of [...Object.values(singles), ...Object.values(bulks)]) await lg.close(s);

    ctx.log(`publish: publish-to-delivery at ${cfg.deliveryRate}/s`);
    const stamped = jsonPayload(1024, { t: TIME_MARKER });
    const deliverySession = await http(`/v1.0/publish/jetstream/${deliverTopic}`, stamped, true);
    await lg.run(deliverySession, { rate: cfg.deliveryRate, durationMs: cfg.warmupMs, maxInFlight: 1000, drainMs: 5000 });
    await drained(subscriberApp.url, 10_000);
    await fetch(`${subscriberApp.url}/stats/reset`, { method: 'POST' });
    const published = await lg.run(deliverySession, { rate: cfg.deliveryRate, durationMs: cfg.durationMs, maxInFlight: 1000, drainMs: 5000 });
    const latency = await drained(subscriberApp.url, 15_000, published.ok);
    await lg.close(deliverySession);
    await Promise.all([publisher.stop(), subscriber.stop(), subscriberApp.stop()]);
    return {
      sidecarJetStream: single.get('sidecarJetStream')!,
      directJetStream: single.get('directJetStream')!,
      sidecarInMemory: single.get('sidecarInMemory')!,
      bulk: { size: cfg.bulkSize, sidecarJetStream: bulk.get('sidecarJetStream')!, sidecarInMemory: bulk.get('sidecarInMemory')! },
      delivery: { rate: cfg.deliveryRate, published: published.ok, delivered: latency.count, latency },
    };
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined);
    await admin.close();
  }
}

/** Waits until the subscriber has seen `expected` deliveries (or its count stops growing), bounded by `timeoutMs`. */
async function drained(appUrl: string, timeoutMs: number, expected = Infinity): Promise<LatencySummary> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    const stats = (await (await fetch(`${appUrl}/stats`)).json()) as LatencySummary;
    if (stats.count >= expected || Date.now() > deadline || (expected === Infinity && stats.count === last)) return stats;
    last = stats.count;
    await sleep(expected === Infinity ? 500 : 100);
  }
}
