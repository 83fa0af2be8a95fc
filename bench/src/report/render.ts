import type { BenchConfig } from '../config';
import { DAPR } from '../dapr-published';
import type { Measured } from '../load/measure';
import type { Machine } from '../machine';
import type { ProfileSummary } from '../profile';
import type { InvocationResults } from '../sections/invocation';
import type { PublishResults } from '../sections/publish';
import type { SagaResults } from '../sections/saga';
import type { StartupResults } from '../sections/startup';
import type { StateResults } from '../sections/state';
import { added, failingStep, LATENCY_HEAD, latencyRow, mb, measured, ms, plus, spread, verdict, type Section } from './format';

export type { Section } from './format';

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  mode: 'full' | 'quick';
  config: BenchConfig;
  machine: Machine;
  invocation: Section<InvocationResults>;
  state: Section<StateResults>;
  publish: Section<PublishResults>;
  saga: Section<SagaResults>;
  startup: Section<StartupResults>;
  profiles?: ProfileSummary[];
}

export function renderReport(r: BenchResults): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    '# Sidecar benchmark report',
    '',
    `Written by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` on ${r.startedAt} (${r.mode} run, ${Math.round(r.durationSeconds)} s). ` +
      'Every figure below was measured in this run, beside its baseline; latencies are in milliseconds, from microsecond histograms. ' +
      `Dapr's figures are from ${DAPR.source}; they were measured on other hardware (4-core Kubernetes nodes, the load tester on its own node), ` +
      'so read them as a yardstick, and read our own baselines for what the sidecar itself costs.',
    '',
  );
  if (r.mode === 'quick') {
    push('> Quick run: short warm-ups and runs, one round, few ramp steps. A sidecar takes a second or two of traffic to warm up (JIT), so these numbers are indicative only; `npm run bench` gives the full ones.', '');
  }

  const m = r.machine;
  push(
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| Memory | ${m.memoryGb} GB |`,
    `| OS | ${m.kernel} |`,
    `| Node | ${m.node} |`,
    `| Load average (1 min): start / mean / highest / end | ${m.loadAverage.start.toFixed(2)} / ${m.loadAverage.mean?.toFixed(2) ?? '–'} / ${m.loadAverage.max?.toFixed(2) ?? '–'} / ${m.loadAverage.end?.toFixed(2) ?? '–'} |`,
    ...Object.entries(m.versions).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `Everything runs on these ${m.cores} cores at once: the load generator (its own process), the target app, the proxies or sidecars, Redis and NATS. ` +
      'A load average above the core count means other work shared the machine during the run and widened the tails (p99, p99.9).',
    '',
  );

  push(...targets(r));
  push(...invocationSection(r));
  push(...footprintSection(r));
  push(...stateSection(r));
  push(...publishSection(r));
  push(...sagaSection(r));
  push(...methodSection(r));
  if (r.profiles && r.profiles.length > 0) push(...profileSection(r.profiles));
  return lines.join('\n') + '\n';
}

function targets(r: BenchResults): string[] {
  const rows: string[] = [];
  if (measured(r.invocation)) {
    const inv = r.invocation;
    const sidecarAdded = inv.sidecars.latency.p50 - inv.direct.latency.p50;
    const proxiesAdded = inv.proxies.latency.p50 - inv.direct.latency.p50;
    const ratio = proxiesAdded > 0 ? sidecarAdded / proxiesAdded : NaN;
    rows.push(`| Sidecar added p50 ≤ 1.15 × two bare proxies' added p50 | ${ms(sidecarAdded)} vs ${ms(proxiesAdded)} (${ratio.toFixed(2)}×) | ${verdict(ratio <= 1.15)} |`);
    rows.push(`| Sidecar added p50 < Dapr's +${DAPR.invocation.added.p50} ms | ${plus(sidecarAdded)} ms | ${verdict(sidecarAdded < DAPR.invocation.added.p50)} |`);
    const sidecarRss = Math.max(...inv.sidecars.costs.map((c) => c.rssPeakMb));
    const proxyRss = Math.max(...inv.proxies.costs.map((c) => c.rssPeakMb));
    rows.push(`| Sidecar RSS under load ≤ 1.3 × a bare proxy's | ${mb(sidecarRss)} vs ${mb(proxyRss)} (${(sidecarRss / proxyRss).toFixed(2)}×) | ${verdict(sidecarRss <= 1.3 * proxyRss)} |`);
  }
  if (measured(r.startup)) {
    const s = r.startup.sidecarInMemory.medianMs;
    rows.push(`| Start to outbound-healthy ≤ 300 ms (median, in-memory components) | ${s.toFixed(0)} ms | ${verdict(s <= 300)} |`);
  }
  if (measured(r.state)) {
    const d = r.state.get.sidecarRedis.latency.p50 - r.state.get.directRedis.latency.p50;
    rows.push(`| State get ≤ direct ioredis + 0.2 ms at p50 | ${plus(d)} ms (${ms(r.state.get.sidecarRedis.latency.p50)} vs ${ms(r.state.get.directRedis.latency.p50)}) | ${verdict(d <= 0.2)} |`);
  }
  return ['## Targets', '', 'Read off this run; no test asserts them.', '', '| Target | This run | |', '|---|---|---|', ...rows, ''];
}


function invocationSection(r: BenchResults): string[] {
  const out = ['## Service invocation', ''];
  if (!measured(r.invocation)) return [...out, `Not measured: ${r.invocation.notMeasured}`, ''];
  const inv = r.invocation;
  const c = r.config.invocation;
  const d = DAPR.invocation;
  out.push(
    `POST of a ${c.bodyBytes} B JSON body, echoed back by the app; ${c.rate} requests/s open loop, ${c.connections} keep-alive connections from the load generator, ` +
      `${c.rounds} × ${c.roundMs / 1000} s per path after a ${c.warmupMs / 1000} s warm-up, the three paths measured in turn each round.`,
    '',
    ...LATENCY_HEAD.map((h, i) => (i === 0 ? `${h} added p50 / p90 / p99 vs direct |` : `${h}---|`)),
    latencyRow('app → app (direct)', inv.direct, ['']),
    latencyRow('app → bare proxy → bare proxy → app (the floor)', inv.proxies, [added(inv.proxies.latency, inv.direct.latency)]),
    latencyRow('app → sidecar → sidecar → app', inv.sidecars, [added(inv.sidecars.latency, inv.direct.latency)]),
    `| Dapr ${d.version}, direct | ${d.direct.p50} | ${d.direct.p90} | ${d.direct.p99} | ${d.direct.p999} | | | | |`,
    `| Dapr ${d.version}, through two sidecars | ${d.throughDapr.p50} | ${d.throughDapr.p90} | ${d.throughDapr.p99} | ${d.throughDapr.p999} | | | | +${d.added.p50} / +${d.added.p90} / +${d.added.p99} |`,
    '',
    `p50 per round (${c.rounds} rounds), lowest – median – highest: direct ${spread(inv.direct.roundP50s)}; bare proxies ${spread(inv.proxies.roundP50s)}; sidecars ${spread(inv.sidecars.roundP50s)}. ` +
      `Sidecar hops beyond the floor (sidecars − bare proxies) at p50: ${plus(inv.sidecars.latency.p50 - inv.proxies.latency.p50)} ms. ` +
      `Dapr's CI gate for this test is an added p90 ≤ ${d.gateAddedP90} ms. The load generator dispatched within ${ms(inv.sidecars.lateness.p50)} ms (p50) / ` +
      `${ms(inv.sidecars.lateness.p99)} ms (p99) of each intended send time; that error is inside every figure above, baselines included.`,
    '',
    '### Highest sustained rate',
    '',
    `Stepping the rate up ×${r.config.ramp.factor} every ${r.config.ramp.stepMs / 1000} s from the fixed-rate run above; a step passes with no errors, ` +
      `≥ 97 % of the rate completed, and p50 and p99 within ${r.config.ramp.blowUp}× the fixed-rate run's (p99 may always reach ${r.config.ramp.p99LimitMs} ms); ` +
      `${r.config.ramp.attempts > 1 ? `a failing step is tried up to ${r.config.ramp.attempts} times before it counts. ` : ''}The load generator, app and hops share ${r.machine.cores} cores, so the direct path is bounded by the generator itself.`,
    '',
    '| Path | sustained rate (req/s) | first failing step |',
    '|---|---|---|',
    `| direct | ${inv.maxRate.direct.sustainedRate} | ${failingStep(inv.maxRate.direct.steps)} |`,
    `| two bare proxies | ${inv.maxRate.proxies.sustainedRate} | ${failingStep(inv.maxRate.proxies.steps)} |`,
    `| two sidecars | ${inv.maxRate.sidecars.sustainedRate} | ${failingStep(inv.maxRate.sidecars.steps)} |`,
    '',
  );
  return out;
}

function footprintSection(r: BenchResults): string[] {
  const out = ['## Sidecar footprint', ''];
  if (measured(r.invocation)) {
    const inv = r.invocation;
    const d = DAPR.invocation;
    const row = (label: string, idle: number, cost: Measured['costs'][number] | undefined, dapr: string) =>
      `| ${label} | ${mb(idle)} | ${cost ? `${mb(cost.rssPeakMb)} (mean ${mb(cost.rssMeanMb)})` : '–'} | ${cost ? cost.cpuMsPer1000.toFixed(0) : '–'} | ${cost ? cost.cpuPercent.toFixed(0) : '–'} % | ${dapr} |`;
    out.push(
      `Resident memory (VmRSS from /proc) and CPU (utime + stime from /proc/<pid>/stat) of each process on the invocation path at ${r.config.invocation.rate} requests/s.`,
      '',
      '| Process | RSS idle | RSS under load (peak) | CPU ms per 1,000 requests | CPU at 1,000/s | Dapr (published) |',
      '|---|---|---|---|---|---|',
      row('caller sidecar', inv.idleRssMb.sidecarCaller, inv.sidecars.costs[0], `${d.sidecarMemoryMb} MB, ${d.sidecarCpuMsPer1000} ms (v1.18); 51 MB, 202 ms (v1.17)`),
      row('callee sidecar', inv.idleRssMb.sidecarCallee, inv.sidecars.costs[1], ''),
      row('bare proxy 1', inv.idleRssMb.proxyFirst, inv.proxies.costs[0], ''),
      row('bare proxy 2', inv.idleRssMb.proxySecond, inv.proxies.costs[1], ''),
      row('target app', inv.idleRssMb.app, inv.direct.costs[0], ''),
      '',
    );
  }
  if (measured(r.startup)) {
    const s = r.startup;
    const row = (label: string, x: StartupResults['sidecarInMemory']) =>
      `| ${label} | ${x.medianMs.toFixed(0)} | ${x.minMs.toFixed(0)} | ${x.maxMs.toFixed(0)} | ${x.medianCpuMs.toFixed(0)} | ${x.samples.length} |`;
    out.push(
      'Time from spawn to `/v1.0/healthz/outbound` answering 204 (the bare proxy: to its first HTTP answer), with default flags (log level info). ' +
        'The CPU column is the user + system time the process had used by then: unlike wall time, it does not grow when other work shares the cores. ' +
        'Dapr publishes no start-up figure.',
      '',
      '| Process | median ms | min | max | median CPU ms | starts |',
      '|---|---|---|---|---|---|',
      row('sidecar, in-memory state + pub/sub', s.sidecarInMemory),
      row('sidecar, state.redis + pubsub.jetstream', s.sidecarServices),
      row('bare Node proxy (the floor)', s.bareNode),
      '',
    );
  } else out.push(`Start-up not measured: ${r.startup.notMeasured}`, '');
  return out;
}

function stateSection(r: BenchResults): string[] {
  const out = ['## State', ''];
  if (!measured(r.state)) return [...out, `Not measured: ${r.state.notMeasured}`, ''];
  const s = r.state;
  const c = r.config.state;
  const d = DAPR.stateGet;
  out.push(
    `A ${s.valueBytes} B JSON value; ${c.rate} requests/s open loop, ${c.connections} connections (ioredis: one connection, as an app or the sidecar uses), ${c.durationMs / 1000} s each after a warm-up.`,
    '',
    ...LATENCY_HEAD.map((h, i) => (i === 0 ? `${h} vs baseline p50 |` : `${h}---|`)),
    latencyRow('get: direct ioredis HMGET (baseline)', s.get.directRedis, ['']),
    latencyRow('get: sidecar, state.redis', s.get.sidecarRedis, [plus(s.get.sidecarRedis.latency.p50 - s.get.directRedis.latency.p50)]),
    latencyRow('get: bare Node HTTP server, same value (baseline: one HTTP hop)', s.get.bareHttp, ['']),
    latencyRow('get: sidecar, state.in-memory', s.get.sidecarInMemory, [plus(s.get.sidecarInMemory.latency.p50 - s.get.bareHttp.latency.p50)]),
    `| get: Dapr v1.18, in-memory store, HTTP | ${d.inMemory.p50} | ${d.inMemory.p90} | ${d.inMemory.p99} | ${d.inMemory.p999} | | | | +${d.addedP50V117} (v1.17) |`,
    latencyRow('save: direct ioredis HSET (baseline)', s.save.directRedis, ['']),
    latencyRow('save: sidecar, state.redis', s.save.sidecarRedis, [plus(s.save.sidecarRedis.latency.p50 - s.save.directRedis.latency.p50)]),
    latencyRow('save: sidecar, state.in-memory', s.save.sidecarInMemory, [plus(s.save.sidecarInMemory.latency.p50 - s.get.bareHttp.latency.p50)]),
    '',
    `The sidecar's save on Redis runs daprd's Lua (etag check, HSET, HINCRBY version, TTL) in one EVALSHA; the direct HSET does less work. CPU of the sidecar per 1,000 gets on Redis: ${s.get.sidecarRedis.costs[0]?.cpuMsPer1000.toFixed(0) ?? '–'} ms.`,
    '',
  );
  return out;
}

function publishSection(r: BenchResults): string[] {
  const out = ['## Publish', ''];
  if (!measured(r.publish)) return [...out, `Not measured: ${r.publish.notMeasured}`, ''];
  const p = r.publish;
  const c = r.config.publish;
  const d = DAPR.publish;
  out.push(
    `A ${1024} B JSON event, wrapped in a CloudEvent by the sidecar; ${c.rate} publishes/s open loop, ${c.connections} connections, ${c.durationMs / 1000} s each. ` +
      'JetStream publishes wait for the stream\'s ack (file storage), as the component does.',
    '',
    ...LATENCY_HEAD.map((h, i) => (i === 0 ? `${h} vs baseline p50 |` : `${h}---|`)),
    latencyRow('direct nats.js JetStream publish (baseline)', p.directJetStream, ['']),
    latencyRow('sidecar → pubsub.jetstream', p.sidecarJetStream, [plus(p.sidecarJetStream.latency.p50 - p.directJetStream.latency.p50)]),
    latencyRow('sidecar → pubsub.in-memory', p.sidecarInMemory, ['']),
    `| Dapr v1.18, HTTP → in-memory broker (k6, low rate) | ${d.inMemory.p50} | ${d.inMemory.p90} | (p95 ${d.inMemory.p95}) | | | | | |`,
    `| Dapr v1.12 docs, HTTP → Kafka at 1,000/s, added | | +${d.addedKafka.p90} | +${d.addedKafka.p99} | | | | | |`,
    '',
    `Bulk publish: ${p.bulk.size} events of 1 KB per request at ${c.bulkRate} requests/s (${c.bulkRate * p.bulk.size} events/s).`,
    '',
    ...LATENCY_HEAD,
    latencyRow('bulk → pubsub.jetstream', p.bulk.sidecarJetStream),
    latencyRow('bulk → pubsub.in-memory', p.bulk.sidecarInMemory),
    '',
    `Dapr v1.17 publishes ${d.bulkRequestsPerSecond.toLocaleString('en')} bulk requests/s (batch 10, in-memory) against ${d.singleRequestsPerSecond.toLocaleString('en')} single publishes/s, a closed-loop throughput figure; ours above is latency at a fixed rate.`,
    '',
  );
  if ('notMeasured' in p.delivery) out.push(`Publish-to-delivery not measured: ${p.delivery.notMeasured}`, '');
  else {
    const l = p.delivery.latency;
    out.push(
      `Publish-to-delivery: app → sidecar → JetStream → sidecar → subscriber app, ${p.delivery.rate} events/s, measured from each event's intended send time to its arrival in the subscriber's handler ` +
        `(${p.delivery.delivered} of ${p.delivery.published} delivered; the subscription handles one message at a time, daprd's default).`,
      '',
      '| Path | p50 | p90 | p99 | p99.9 | mean |',
      '|---|---|---|---|---|---|',
      `| publish → delivery through two sidecars | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.mean)} |`,
      `| Dapr v1.17, Kafka publish → subscribe | ${d.deliveryKafka.p50} | | (p95 ${d.deliveryKafka.p95}) | | |`,
      '',
    );
  }
  return out;
}

function sagaSection(r: BenchResults): string[] {
  const out = ['## Order saga', ''];
  if (!measured(r.saga)) return [...out, `Not measured: ${r.saga.notMeasured}`, ''];
  const s = r.saga;
  out.push(
    `From POST /orders on the order app to the first poll of GET /orders/:id that sees a final state (${s.finalStates.join(', ')}); ` +
      `it polls every ${s.pollMs} ms at first, backing off to ${s.pollMs * 20} ms for slow orders. Order, stock and payment each have their own sidecar process on ${s.components}. ` +
      `${s.rate} orders/s offered open loop for ${s.durationMs / 1000} s, each for one unit of one of 20 products in turn. Dapr publishes no figure for a saga.`,
    '',
    '| | |',
    '|---|---|',
    `| orders reaching DELIVERY_IN_PREPARATION | ${s.completed} of ${s.offered} (${s.failed} failed or compensated, ${s.unfinished} unfinished) |`,
    `| orders per second, end to end | ${s.ordersPerSecond.toFixed(1)} |`,
    `| POST → final state p50 / p90 / p99 / max | ${ms(s.latency.p50)} / ${ms(s.latency.p90)} / ${ms(s.latency.p99)} / ${ms(s.latency.max)} |`,
    `| final states | ${Object.entries(s.byState).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    ...(Object.keys(s.failures).length > 0 ? [`| failures | ${Object.entries(s.failures).map(([k, v]) => `${v} × ${k.replace(/\|/g, '/')}`).join('; ')} |`] : []),
    `| CPU ms per order | ${Object.entries(s.cpuMsPerOrder).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} |`,
    ...(s.maxRate
      ? [
          `| highest sustained rate (orders/s) | ${s.maxRate.sustainedRate} (stepping ×${r.config.saga.ramp?.factor} every ${(r.config.saga.ramp?.stepMs ?? 0) / 1000} s; first failing step: ${failingStep(s.maxRate.steps)}) |`,
        ]
      : []),
    '',
  );
  return out;
}

function methodSection(r: BenchResults): string[] {
  return [
    '## How it was measured',
    '',
    '- The load generator is a process of its own (`bench/src/load/loadgen.ts`), separate from every measured process. It sends open loop: ' +
      'each request has an intended send time on a fixed schedule, kept by a worker thread sleeping in `Atomics.wait`, and its latency runs from that ' +
      'intended time to the end of the response (coordinated-omission correction, as wrk2 and Fortio do). Latencies go into HDR histograms in ' +
      'microseconds (`hdr-histogram-js`, 3 significant digits), read with `process.hrtime.bigint()`.',
    '- HTTP goes through an undici Pool with a fixed number of keep-alive connections and no pipelining (Fortio `-c`). Runs are bounded in count ' +
      '(rate × duration) and time (duration + a drain); requests still out at the end count as timed out, and sends beyond an in-flight cap count as dropped.',
    '- Sidecars are the real `sidecar` command (`libs/sidecar/bin/sidecar.js`), found by each other through the standalone registry; the target app ' +
      'and the bare proxies are small `node:http` processes (`bench/src/procs/`). Each bare proxy streams through a keep-alive undici Pool and strips only hop-by-hop headers.',
    '- Memory is VmRSS from `/proc/<pid>/status`, sampled every 250 ms; CPU is utime + stime from `/proc/<pid>/stat` over the measured rounds.',
    `- Run: ${r.mode}; configuration: \`${JSON.stringify(r.config.invocation)}\`. Raw results, with every histogram, are in \`bench/results/latest.json\`.`,
    '',
  ];
}

function profileSection(profiles: ProfileSummary[]): string[] {
  const out = [
    '## CPU profiles (`--profile`)',
    '',
    'Self time of each sidecar process (and, for comparison, each bare proxy) from `node --cpu-prof` over its whole life (start-up included), as a share of the time it was busy (idle excluded).',
    '',
  ];
  for (const p of profiles) {
    out.push(`### ${p.name} (${(p.busyMs / 1000).toFixed(1)} s busy)`, '', '| area | self ms | % of busy |', '|---|---|---|');
    for (const a of p.byArea.slice(0, 10)) out.push(`| ${a.area} | ${a.selfMs.toFixed(0)} | ${a.percent.toFixed(1)} |`);
    out.push('', '| function | where | self ms | % of busy |', '|---|---|---|---|');
    for (const f of p.top) out.push(`| ${f.functionName || '(anonymous)'} | ${f.where} | ${f.selfMs.toFixed(0)} | ${f.percent.toFixed(1)} |`);
    out.push('');
  }
  return out;
}
