import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { component, profileArgs, writeResources, type BenchContext } from '../context';
import { cpuMs } from '../procs/proc-stats';
import { mergeEncoded, summarise, type LatencySummary } from '../load/histogram';
import { rampUp, type RampStep } from '../load/measure';
import { freePort, ROOT, startProcess, startSidecar, waitForHttp, type Proc } from '../procs/processes';
import { NATS_URL } from './publish';
import { REDIS } from './state';

export interface SagaResults {
  components: string;
  /** The highest orders/s whose step completed every order with latency within 3× the first step's. */
  maxRate?: { sustainedRate: number; steps: RampStep[] };
  rate: number;
  durationMs: number;
  pollMs: number;
  offered: number;
  completed: number;
  failed: number;
  unfinished: number;
  ordersPerSecond: number;
  latency: LatencySummary;
  finalStates: string[];
  byState: Record<string, number>;
  /** Orders that did not end in DELIVERY_IN_PREPARATION, by what the load generator saw. */
  failures: Record<string, number>;
  /** CPU milliseconds per completed order, per process, over the fixed-rate run. */
  cpuMsPerOrder: Record<string, number>;
}

const SAGA_APPS = ['order', 'stock', 'payment'] as const;
/** The order states that end a saga (libs/contracts FINAL_ORDER_STATUSES; the bench imports no app code). */
const FINAL_STATES = ['DELIVERY_IN_PREPARATION', 'REJECT', 'ERROR'];
const BUILDS = ['libs/contracts/tsconfig.lib.json', 'libs/nest-dapr/tsconfig.lib.json', ...SAGA_APPS.map((a) => `apps/${a}/tsconfig.app.json`)];
const PRODUCTS = 20;
/** The bench's own Redis database, so its keys never meet the apps' or the tests' in database 0. */
const REDIS_DB = 9;

/**
 * nautible's order saga end to end: POST /orders on the order app, then the order moves through stock (reserve,
 * approve) and payment (create) by pub/sub, each app with its own sidecar process on state.redis and
 * pubsub.jetstream. Isolated from anything else on the same servers: a namespace of its own (which prefixes
 * every topic: `namespaceScoped`), a JetStream stream of its own, and Redis database 9; all removed at the end.
 */
export async function sagaSection(ctx: BenchContext): Promise<SagaResults | { notMeasured: string }> {
  const missing = SAGA_APPS.filter((app) => !existsSync(path.join(ROOT, 'apps', app, 'src/main.ts')));
  if (missing.length > 0) return { notMeasured: `apps ${missing.join(', ')} do not exist yet` };
  const stale = BUILDS.filter((project) => !isBuilt(project));
  // Building five projects takes longer than a whole quick run; the full run builds what is out of date.
  if (ctx.config.quick && stale.length > 0) return { notMeasured: `--quick does not build the apps, and ${stale.join(', ')} ${stale.length > 1 ? 'are' : 'is'} not built or out of date (npm run build, or a full run)` };
  for (const project of stale) {
    const failure = await build(project);
    if (failure) return { notMeasured: `${project} does not build: ${failure}` };
  }
  const cfg = ctx.config.saga;
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const namespace = `bench${run}`;
  const stream = `BENCH_SAGA_${run}`;
  const store = (app: string) => component(`${app}-store`, 'state.redis', { redisHost: `${REDIS.host}:${REDIS.port}`, redisDB: String(REDIS_DB), keyPrefix: 'namespace' }, [app]);
  const resources = writeResources(
    ctx,
    'saga',
    [...SAGA_APPS.map(store), component('order-pubsub', 'pubsub.jetstream', { natsURL: NATS_URL, streamName: stream, namespaceScoped: 'true' })].join('\n---\n'),
  );
  const registryDir = path.join(ctx.tmp, 'registry-saga');
  const procs: Proc[] = [];
  const sidecars: { app: string; pid: number }[] = [];
  try {
    ctx.log('saga: starting order, stock and payment with their sidecars');
    const apps = await Promise.all(
      SAGA_APPS.map(async (app) => {
        const [appPort, daprPort] = [await freePort(), await freePort()];
        const proc = startProcess(`${app} app`, [path.join(ROOT, 'apps', app, 'dist/main.js')], {
          PORT: String(appPort),
          DAPR_HTTP_PORT: String(daprPort),
          STOCK_SEED: 'false',
          DEMO_SUBSCRIPTION_MODE: 'programmatic',
        });
        procs.push(proc);
        return { app, proc, appPort, daprPort, url: `http://127.0.0.1:${appPort}` };
      }),
    );
    await Promise.all(
      apps.map(async (a) => {
        const sidecar = await startSidecar({
          appId: a.app,
          appPort: a.appPort,
          daprHttpPort: a.daprPort,
          resourcesDir: resources,
          registryDir,
          env: { NAMESPACE: namespace },
          timeoutMs: 90_000,
          nodeArgs: profileArgs(ctx, `saga-${a.app}`),
        });
        procs.push(sidecar);
        sidecars.push({ app: a.app, pid: sidecar.pid });
        await waitForHttp(a.proc, `${a.url}/healthz`, 200, 90_000);
      }),
    );
    ctx.log(`saga: apps and sidecars ready`);
    const stock = apps.find((a) => a.app === 'stock')!;
    const productIds = Array.from({ length: PRODUCTS }, (_, i) => `bench-p${i}`);
    for (const id of productIds) {
      const res = await fetch(`${stock.url}/stock/products/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: id, price: 1, quantity: 1_000_000 }) });
      if (!res.ok) throw new Error(`PUT /stock/products/${id}: ${res.status} ${await res.text()}`);
    }
    const order = apps.find((a) => a.app === 'order')!;
    const pollMs = 10;
    const session = await ctx.lg.open({ kind: 'saga', origin: order.url, productIds, finalStatuses: FINAL_STATES, successStatus: FINAL_STATES[0]!, pollMs, timeoutMs: 30_000 });
    ctx.log(`saga: ${cfg.rate} orders/s for ${cfg.durationMs / 1000} s`);
    await ctx.lg.run(session, { rate: Math.min(cfg.rate, 10), durationMs: 1000, maxInFlight: 1000, drainMs: 30_000 });
    const watched = [...apps.map((a) => ({ label: `${a.app} app`, pid: a.proc.pid })), ...sidecars.map((s) => ({ label: `${s.app} sidecar`, pid: s.pid }))];
    const cpuBefore = watched.map((w) => cpuMs(w.pid));
    const r = await ctx.lg.run(session, { rate: cfg.rate, durationMs: cfg.durationMs, maxInFlight: cfg.rate * 60, drainMs: 35_000 });
    const cpuMsPerOrder = Object.fromEntries(watched.map((w, i) => [w.label, r.ok > 0 ? (cpuMs(w.pid) - cpuBefore[i]!) / r.ok : NaN]));
    let maxRate: SagaResults['maxRate'];
    if (cfg.ramp) {
      ctx.log('saga: ramping up to the highest sustained rate');
      maxRate = await rampUp(ctx.lg, session, { ...cfg.ramp, p99LimitMs: 1000, blowUp: 3, attempts: 2, drainMs: 10_000 });
    }
    await ctx.lg.close(session);
    const byState: Record<string, number> = { [FINAL_STATES[0]!]: r.ok };
    let unfinished = r.timeouts + r.dropped;
    for (const [kind, n] of Object.entries(r.errorKinds)) {
      const ended = /^ended (\S+)/.exec(kind)?.[1];
      if (ended) byState[ended] = (byState[ended] ?? 0) + n;
      else if (kind.startsWith('unfinished')) unfinished += n;
      else byState[`failed: ${kind}`] = (byState[`failed: ${kind}`] ?? 0) + n;
    }
    return {
      components: 'state.redis and pubsub.jetstream',
      maxRate,
      rate: cfg.rate,
      durationMs: cfg.durationMs,
      pollMs,
      offered: r.intended,
      completed: r.ok,
      failed: r.errors,
      unfinished,
      ordersPerSecond: r.achievedRate,
      latency: summarise(mergeEncoded([r.histogram])),
      finalStates: FINAL_STATES,
      byState,
      failures: r.errorKinds,
      cpuMsPerOrder,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await cleanUp(stream, namespace);
  }
}

/** dist is newer than every source file of the project (an `npm run build` or an earlier bench run made it). */
function isBuilt(project: string): boolean {
  const dir = path.join(ROOT, path.dirname(project));
  const newest = (d: string): number =>
    existsSync(d) ? Math.max(0, ...readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(d, e.name)) : statSync(path.join(d, e.name)).mtimeMs))) : 0;
  const built = newest(path.join(dir, 'dist'));
  return built > 0 && built >= newest(path.join(dir, 'src'));
}

async function build(project: string): Promise<string | undefined> {
  try {
    await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], { cwd: ROOT });
    return undefined;
  } catch (err) {
    const out = (err as { stdout?: string }).stdout ?? String(err);
    return out.split('\n').find((l) => l.trim() !== '') ?? 'tsc failed';
  }
}

async function cleanUp(stream: string, namespace: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
  await nc.close();
  const redis = new Redis({ ...REDIS, db: REDIS_DB, lazyConnect: true });
  await redis.connect();
  const stream$ = redis.scanStream({ match: `${namespace}.*`, count: 500 });
  for await (const keys of stream$ as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}
