import { parentPort, workerData } from 'node:worker_threads';

/**
 * The load generator's clock, on its own thread. It sleeps in Atomics.wait (a futex with a sub-millisecond
 * timeout) until the next intended send time, publishes how many sends are due, and wakes the main thread
 * only when it has taken the previous batch — so a busy main thread gets one message for many sends and no
 * send time is ever skipped. setTimeout's 1 ms granularity would add up to a millisecond to every latency.
 */
export interface TickerData {
  control: SharedArrayBuffer;
  startNs: string;
  intervalNs: number;
  count: number;
}

export const SLEEP = 0;
export const DUE = 1;
export const PENDING = 2;
export const STOP = 3;

if (parentPort && workerData) {
  const { control, startNs, intervalNs, count } = workerData as TickerData;
  const ctl = new Int32Array(control);
  const start = BigInt(startNs);
  const port = parentPort;
  let due = 0;
  while (due < count && Atomics.load(ctl, STOP) === 0) {
    const waitNs = Number(start - process.hrtime.bigint()) + due * intervalNs;
    if (waitNs > 20_000) Atomics.wait(ctl, SLEEP, 0, waitNs / 1e6);
    const elapsed = Number(process.hrtime.bigint() - start);
    const next = Math.min(count, Math.floor(elapsed / intervalNs) + 1);
    if (next <= due) continue;
    due = next;
    Atomics.store(ctl, DUE, due);
    if (Atomics.compareExchange(ctl, PENDING, 0, 1) === 0) port.postMessage(0);
  }
}
