import { encode, summarise, type LatencySummary } from './histogram';
import { openDriver, type Driver, type DriverSpec } from './drivers';
import { runOpenLoop, type RunSpec } from './open-loop';

/**
 * The load generator's process: the orchestrator forks it and sends jobs over IPC, so the generator's own work
 * never shares an event loop with the processes it measures.
 */
export type LoadRequest =
  | { id: number; op: 'open'; session: string; driver: DriverSpec }
  | { id: number; op: 'run'; session: string; spec: RunSpec }
  | { id: number; op: 'close'; session: string };

export interface RunResult {
  /** The latency histogram, compressed, so runs of several rounds can be merged. */
  histogram: string;
  latency: LatencySummary;
  lateness: LatencySummary;
  rate: number;
  intended: number;
  ok: number;
  errors: number;
  dropped: number;
  timeouts: number;
  achievedRate: number;
  firstError?: string;
  errorKinds: Record<string, number>;
}

export type LoadReply = { id: number; ok: true; result?: RunResult } | { id: number; ok: false; error: string };

const sessions = new Map<string, Driver>();

async function handle(req: LoadRequest): Promise<RunResult | undefined> {
  switch (req.op) {
    case 'open':
      sessions.set(req.session, await openDriver(req.driver));
      return undefined;
    case 'run': {
      const driver = sessions.get(req.session);
      if (!driver) throw new Error(`no session ${req.session}`);
      const out = await runOpenLoop(req.spec, driver.send);
      return {
        histogram: encode(out.latency),
        latency: summarise(out.latency),
        lateness: summarise(out.lateness),
        rate: req.spec.rate,
        intended: out.intended,
        ok: out.ok,
        errors: out.errors,
        dropped: out.dropped,
        timeouts: out.timeouts,
        achievedRate: out.achievedRate,
        firstError: out.firstError,
        errorKinds: out.errorKinds,
      };
    }
    case 'close': {
      const driver = sessions.get(req.session);
      sessions.delete(req.session);
      await driver?.close();
      return undefined;
    }
  }
}

if (require.main === module) {
  process.on('message', (message) => {
    const req = message as LoadRequest;
    handle(req).then(
      (result) => process.send!({ id: req.id, ok: true, result } satisfies LoadReply),
      (err: unknown) => process.send!({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies LoadReply),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
