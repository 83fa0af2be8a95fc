import { cpuMs, RssSampler } from '../procs/proc-stats';
import type { LoadGenerator } from './client';
import { mergeEncoded, summarise, type LatencySummary } from './histogram';
import type { RunResult } from './loadgen';

/** A path under load: the load generator's session and the processes whose CPU and memory it costs. */
export interface PathUnderLoad {
  name: string;
  session: string;
  watch?: { label: string; pid: number }[];
}

export interface ProcessCost {
  label: string;
  /** CPU milliseconds (user + system) per 1,000 successful requests. */
  cpuMsPer1000: number;
  /** CPU share of one core while under load, in percent. */
  cpuPercent: number;
  rssPeakMb: number;
  rssMeanMb: number;
}

export interface Measured {
  rate: number;
  latency: LatencySummary;
  /** p50 of each round, in order: how much the machine's other work moved the figure during the run. */
  roundP50s: number[];
  /** The generator's own dispatch error (actual − intended send time). */
  lateness: LatencySummary;
  ok: number;
  errors: number;
  dropped: number;
  timeouts: number;
  achievedRate: number;
  firstError?: string;
  costs: ProcessCost[];
}

/**
 * Warms every path up, then measures them in interleaved rounds (A, B, C, A, B, C, …), so drift in the machine's
 * load (other work on the same cores) spreads over every path instead of biasing the one measured last.
 */
export async function measurePaths(
  lg: LoadGenerator,
  paths: PathUnderLoad[],
  opts: { rate: number; warmupMs: number; rounds: number; roundMs: number },
): Promise<Map<string, Measured>> {
  const spec = (durationMs: number) => ({ rate: opts.rate, durationMs, maxInFlight: Math.max(256, opts.rate), drainMs: 10_000 });
  for (const p of paths) if (opts.warmupMs > 0) await lg.run(p.session, spec(opts.warmupMs));
  const runs = new Map<string, RunResult[]>();
  const costs = new Map<string, { cpu: Map<number, number>; rss: Map<number, { peak: number; mean: number }[]> }>();
  for (let round = 0; round < opts.rounds; round++) {
    for (const p of paths) {
      const watch = p.watch ?? [];
      const sampler = new RssSampler(watch.map((w) => w.pid)).start();
      const cpuBefore = watch.map((w) => cpuMs(w.pid));
      const result = await lg.run(p.session, spec(opts.roundMs));
      const rss = sampler.stop();
      const c = costs.get(p.name) ?? { cpu: new Map(), rss: new Map() };
      watch.forEach((w, i) => {
        c.cpu.set(w.pid, (c.cpu.get(w.pid) ?? 0) + cpuMs(w.pid) - cpuBefore[i]!);
        c.rss.set(w.pid, [...(c.rss.get(w.pid) ?? []), rss.get(w.pid)!]);
      });
      costs.set(p.name, c);
      runs.set(p.name, [...(runs.get(p.name) ?? []), result]);
    }
  }
  const out = new Map<string, Measured>();
  for (const p of paths) {
    const results = runs.get(p.name)!;
    const sum = (f: (r: RunResult) => number) => results.reduce((a, r) => a + f(r), 0);
    const ok = sum((r) => r.ok);
    const c = costs.get(p.name)!;
    const seconds = (opts.rounds * opts.roundMs) / 1000;
    out.set(p.name, {
      rate: opts.rate,
      latency: summarise(mergeEncoded(results.map((r) => r.histogram))),
      roundP50s: results.map((r) => r.latency.p50),
      lateness: worst(results.map((r) => r.lateness)),
      ok,
      errors: sum((r) => r.errors),
      dropped: sum((r) => r.dropped),
      timeouts: sum((r) => r.timeouts),
      achievedRate: sum((r) => r.achievedRate) / results.length,
      firstError: results.find((r) => r.firstError)?.firstError,
      costs: (p.watch ?? []).map((w) => {
        const cpu = c.cpu.get(w.pid)!;
        const rss = c.rss.get(w.pid)!;
        return {
          label: w.label,
          cpuMsPer1000: ok > 0 ? (cpu / ok) * 1000 : NaN,
          cpuPercent: (cpu / (seconds * 1000)) * 100,
          rssPeakMb: Math.max(...rss.map((r) => r.peak)),
          rssMeanMb: rss.reduce((a, r) => a + r.mean, 0) / rss.length,
        };
      }),
    });
  }
  return out;
}

export interface RampStep {
  rate: number;
  achievedRate: number;
  p50: number;
  p99: number;
  errors: number;
  dropped: number;
  timeouts: number;
  sustained: boolean;
}

/**
 * Steps the rate up until a step fails: any error, drop or timeout, fewer than 97 % of the intended requests
 * completed per second, or latency blown up — p50 or p99 more than `blowUp` times the first step's (or the known run's) (and past
 * `p99LimitMs` for p99, 1 ms for p50). A failing step is run again (up to `attempts` times) before it counts,
 * since other work on shared cores makes stalls of a few seconds, which a busy moment recovers from and a
 * saturated path does not.
 */
export async function rampUp(
  lg: LoadGenerator,
  session: string,
  opts: { startRate: number; factor: number; stepMs: number; p99LimitMs: number; maxRate: number; blowUp: number; attempts?: number; drainMs?: number },
  /** What the path sustained already (a fixed-rate run), which the ramp starts above and measures blow-up against. */
  known?: { rate: number; p50: number; p99: number },
): Promise<{ sustainedRate: number; steps: RampStep[] }> {
  const steps: RampStep[] = [];
  let sustainedRate = known?.rate ?? 0;
  let base: { p50: number; p99: number } | undefined = known && { p50: known.p50, p99: known.p99 };
  const step = async (rate: number): Promise<RampStep> => {
    const r = await lg.run(session, { rate, durationMs: opts.stepMs, maxInFlight: Math.max(64, Math.round(rate / 10)), drainMs: opts.drainMs ?? 3000 });
    base ??= { p50: r.latency.p50, p99: r.latency.p99 };
    const p50Limit = Math.max(1, base.p50 * opts.blowUp);
    const p99Limit = Math.max(opts.p99LimitMs, base.p99 * opts.blowUp);
    const sustained =
      r.errors === 0 && r.dropped === 0 && r.timeouts === 0 && r.achievedRate >= rate * 0.97 && r.latency.p50 <= p50Limit && r.latency.p99 <= p99Limit;
    return { rate, achievedRate: r.achievedRate, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, dropped: r.dropped, timeouts: r.timeouts, sustained };
  };
  for (let rate = known ? Math.round(known.rate * opts.factor) : opts.startRate; rate <= opts.maxRate; rate = Math.round(rate * opts.factor)) {
    let result = await step(rate);
    for (let attempt = 1; !result.sustained && attempt < (opts.attempts ?? 1); attempt++) {
      steps.push(result);
      result = await step(rate);
    }
    steps.push(result);
    if (!result.sustained) break;
    sustainedRate = rate;
  }
  return { sustainedRate, steps };
}

function worst(list: LatencySummary[]): LatencySummary {
  return list.reduce((a, b) => (b.p99 > a.p99 ? b : a));
}
