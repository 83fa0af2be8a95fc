import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { component, writeResources, type BenchContext } from '../context';
import { freePort, probe, SCRIPTS, SIDECAR_BIN, startProcess, type Proc } from '../procs/processes';
import { cpuMs } from '../procs/proc-stats';
import { REDIS } from './state';
import { NATS_URL } from './publish';

export interface StartupSample {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number[];
  /** CPU time (user + system) the process had used when it first answered: what start-up costs on any machine, busy or not. */
  medianCpuMs: number;
  cpuSamples: number[];
}

export interface StartupResults {
  /** `npm start`'s shape: in-memory state and pub/sub. */
  sidecarInMemory: StartupSample;
  /** The services shape: state.redis and pubsub.jetstream, which connect at init. */
  sidecarServices: StartupSample;
  /** A bare Node proxy from spawn to its first HTTP answer: the floor for any Node process. */
  bareNode: StartupSample;
}

/** Time from spawn to `/v1.0/healthz/outbound` answering 204 (probed every 2 ms on fresh connections). */
export async function startupSection(ctx: BenchContext): Promise<StartupResults> {
  const n = ctx.config.startup.samples;
  const inMemory = writeResources(ctx, 'startup-memory', [component('statestore', 'state.in-memory'), component('pubsub', 'pubsub.in-memory')].join('\n---\n'));
  const services = writeResources(
    ctx,
    'startup-services',
    [component('statestore', 'state.redis', { redisHost: `${REDIS.host}:${REDIS.port}` }), component('pubsub', 'pubsub.jetstream', { natsURL: NATS_URL })].join('\n---\n'),
  );
  const registryDir = path.join(ctx.tmp, 'registry-startup');
  ctx.log(`startup: ${n} starts each`);
  const sidecar = (resources: string) => (port: number) => {
    // Default flags (log level info, readable lines), as `sidecar --app-id ...` starts in a terminal.
    const proc = startProcess('sidecar startup', [SIDECAR_BIN, '--app-id', 'bench-start', '--dapr-http-port', String(port), '--resources-path', resources], {
      SIDECAR_REGISTRY_DIR: registryDir,
    });
    return { proc, url: `http://127.0.0.1:${port}/v1.0/healthz/outbound`, status: 204 };
  };
  const bare = (port: number) => {
    const proc = startProcess('bare node', [SCRIPTS.bareProxy], { PORT: String(port), TARGET: 'http://127.0.0.1:9' });
    return { proc, url: `http://127.0.0.1:${port}/`, status: undefined };
  };
  const results: StartupResults = { sidecarInMemory: empty(), sidecarServices: empty(), bareNode: empty() };
  // Interleaved, so a busy moment on the machine does not land on one kind only.
  for (let i = 0; i < n; i++) {
    for (const [sample, start] of [
      [results.bareNode, bare],
      [results.sidecarInMemory, sidecar(inMemory)],
      [results.sidecarServices, sidecar(services)],
    ] as const) {
      const { wallMs, cpuMs } = await timeToAnswer(start);
      sample.samples.push(wallMs);
      sample.cpuSamples.push(cpuMs);
    }
  }
  for (const r of Object.values(results) as StartupSample[]) {
    const sorted = [...r.samples].sort((a, b) => a - b);
    r.medianMs = median(r.samples);
    r.minMs = sorted[0]!;
    r.maxMs = sorted[sorted.length - 1]!;
    r.medianCpuMs = median(r.cpuSamples);
  }
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

function empty(): StartupSample {
  return { medianMs: NaN, minMs: NaN, maxMs: NaN, samples: [], medianCpuMs: NaN, cpuSamples: [] };
}

type Starter = (port: number) => { proc: Proc; url: string; status: number | undefined };

async function timeToAnswer(start: Starter): Promise<{ wallMs: number; cpuMs: number }> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const { proc, url, status } = start(port);
  try {
    for (;;) {
      if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output()}`);
      const got = await probe(url);
      if (got !== undefined && (status === undefined || got === status)) return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: cpuMs(proc.pid) };
      if (Number(process.hrtime.bigint() - t0) > 30e9) throw new Error(`${proc.name} did not answer ${url} within 30 s:\n${proc.output()}`);
      await sleep(2);
    }
  } finally {
    await proc.stop();
  }
}
