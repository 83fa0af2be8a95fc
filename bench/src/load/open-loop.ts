import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Histogram } from 'hdr-histogram-js';
import { newHistogram, recordNs } from './histogram';
import { DUE, PENDING, STOP, SLEEP, type TickerData } from './ticker';

export interface RunSpec {
  /** Intended sends per second. */
  rate: number;
  durationMs: number;
  /** Sends that would exceed this many outstanding requests are dropped and counted: the target is overloaded. */
  maxInFlight: number;
  /** How long after the last intended send the run waits for stragglers; those still out then are timeouts. */
  drainMs: number;
}

export interface RunOutcome {
  latency: Histogram;
  /** How late the generator itself dispatched (actual − intended send time): its own timing error. */
  lateness: Histogram;
  intended: number;
  ok: number;
  errors: number;
  dropped: number;
  timeouts: number;
  /** Successful completions per second, from the first intended send to the last completion. */
  achievedRate: number;
  firstError?: string;
  /** Failures by message (the first 80 characters), to tell kinds of failure apart. */
  errorKinds: Record<string, number>;
}

/** One request; resolves true on success, false (or a rejection) on failure. */
export type Send = (intendedNs: bigint) => Promise<boolean | string>;

/**
 * An open-loop load: requests are due at fixed intended times whatever the target does, and each latency runs
 * from the intended send time to completion (coordinated-omission correction, as wrk2 and Fortio do), so a
 * stalled target cannot hide its stall by slowing the generator down. Bounded in count (rate × duration) and
 * in time (duration + drain).
 */
export function runOpenLoop(spec: RunSpec, send: Send): Promise<RunOutcome> {
  const count = Math.max(1, Math.round((spec.rate * spec.durationMs) / 1000));
  const intervalNs = 1e9 / spec.rate;
  const control = new SharedArrayBuffer(16);
  const ctl = new Int32Array(control);
  const start = process.hrtime.bigint() + 2_000_000n;
  const latency = newHistogram();
  const lateness = newHistogram();
  const out: RunOutcome = { latency, lateness, intended: count, ok: 0, errors: 0, dropped: 0, timeouts: 0, achievedRate: 0, errorKinds: {} };
  let sent = 0;
  let inFlight = 0;
  let lastDone = start;

  return new Promise((resolve) => {
    let finished = false;
    const ticker = new Worker(path.join(__dirname, 'ticker.js'), { workerData: { control, startNs: String(start), intervalNs, count } satisfies TickerData });
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      Atomics.store(ctl, STOP, 1);
      Atomics.notify(ctl, SLEEP);
      void ticker.terminate();
      out.timeouts = inFlight;
      const seconds = Number(lastDone - start) / 1e9;
      out.achievedRate = seconds > 0 ? out.ok / seconds : 0;
      resolve(out);
    };
    const deadline = setTimeout(finish, spec.durationMs + spec.drainMs + 50);
    const maybeDone = () => {
      if (sent === count && inFlight === 0) finish();
    };
    const dispatch = (i: number) => {
      const intended = start + BigInt(Math.round(i * intervalNs));
      const now = process.hrtime.bigint();
      recordNs(lateness, now > intended ? now - intended : 0n);
      if (inFlight >= spec.maxInFlight) {
        out.dropped++;
        return;
      }
      inFlight++;
      send(intended).then(
        (result) => done(intended, result),
        (err: unknown) => done(intended, err instanceof Error ? err.message : String(err)),
      );
    };
    const done = (intended: bigint, result: boolean | string) => {
      if (finished) return;
      inFlight--;
      const now = process.hrtime.bigint();
      lastDone = now;
      if (result === true) {
        out.ok++;
        recordNs(latency, now - intended);
      } else {
        out.errors++;
        const message = result === false ? 'failed' : result;
        out.firstError ??= message;
        const kind = message.slice(0, 80);
        out.errorKinds[kind] = (out.errorKinds[kind] ?? 0) + 1;
      }
      maybeDone();
    };
    ticker.on('message', () => {
      Atomics.store(ctl, PENDING, 0);
      const due = Atomics.load(ctl, DUE);
      while (sent < due) dispatch(sent++);
      maybeDone();
    });
    ticker.on('error', (err) => {
      out.firstError ??= `ticker: ${err.message}`;
      finish();
    });
  });
}
