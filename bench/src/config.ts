/** How long and how hard each part runs; `--quick` keeps the whole run under a minute. */
export interface BenchConfig {
  quick: boolean;
  profile: boolean;
  /** Dapr's harness: 1,000 requests/s, 16 connections, 1 KB, after a warm-up. */
  invocation: { rate: number; connections: number; bodyBytes: number; warmupMs: number; rounds: number; roundMs: number };
  /** The highest rate each path sustains: steps up by `factor` until latency blows up or anything fails. */
  ramp: { startRate: number; factor: number; stepMs: number; p99LimitMs: number; maxRate: number; blowUp: number; attempts: number };
  /** Sections to run (`--only=invocation,state`, a development aid); all when empty. */
  only: string[];
  state: { rate: number; connections: number; warmupMs: number; durationMs: number };
  publish: { rate: number; connections: number; warmupMs: number; durationMs: number; deliveryRate: number; bulkRate: number; bulkSize: number };
  startup: { samples: number };
  /** Latency at a fixed rate, then (full runs) the highest rate the saga sustains, stepping up by `rampFactor`. */
  saga: { rate: number; durationMs: number; ramp?: { startRate: number; factor: number; stepMs: number; maxRate: number } };
}

export function configFor(args: string[]): BenchConfig {
  const quick = args.includes('--quick');
  const profile = args.includes('--profile');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? [];
  const unknown = args.filter((a) => a !== '--quick' && a !== '--profile' && !a.startsWith('--only='));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}; usage: npm run bench [-- --quick] [-- --profile] [-- --only=invocation,state,publish,saga,startup]`);
  return {
    quick,
    profile,
    invocation: { rate: 1000, connections: 16, bodyBytes: 1024, warmupMs: quick ? 1000 : 5000, rounds: quick ? 1 : 10, roundMs: quick ? 5000 : 3000 },
    only,
    ramp: quick
      ? { startRate: 1000, factor: 2, stepMs: 500, p99LimitMs: 10, maxRate: 20_000, blowUp: 3, attempts: 1 }
      : { startRate: 1000, factor: 1.25, stepMs: 2000, p99LimitMs: 10, maxRate: 20_000, blowUp: 3, attempts: 3 },
    state: { rate: 1000, connections: 16, warmupMs: quick ? 300 : 3000, durationMs: quick ? 700 : 10_000 },
    publish: {
      rate: 1000,
      connections: 16,
      warmupMs: quick ? 300 : 3000,
      durationMs: quick ? 700 : 10_000,
      deliveryRate: 200,
      bulkRate: 100,
      bulkSize: 10,
    },
    startup: { samples: quick ? 3 : 10 },
    saga: quick ? { rate: 5, durationMs: 2000 } : { rate: 5, durationMs: 15_000, ramp: { startRate: 5, factor: 2, stepMs: 6000, maxRate: 160 } },
  };
}
