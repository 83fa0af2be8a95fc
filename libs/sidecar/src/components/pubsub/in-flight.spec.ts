import { InFlight } from './in-flight';

/** A handler the test finishes by hand. */
function held(): { work: () => Promise<void>; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: () => done, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('InFlight', () => {
  it('wakes every waiter when a handler ends, so one that starts nothing does not strand the others', async () => {
    const inFlight = new InFlight(1);
    const first = held();
    inFlight.run(first.work);
    let readerWoke = false;
    // Two loops wait for room, as the Redis reader and its re-claim do; the re-claim finds nothing to start.
    const reclaim = inFlight.slot();
    const reader = inFlight.slot().then(() => (readerWoke = true));
    first.finish();
    await reclaim;
    await settle();
    expect(readerWoke).toBe(true);
    await reader;
  });

  it('never starts more than the limit when two callers wait for one free slot', async () => {
    const inFlight = new InFlight(1);
    const first = held();
    inFlight.run(first.work);
    const [a, b] = [held(), held()];
    const started = [inFlight.start(a.work), inFlight.start(b.work)];
    first.finish();
    await settle();
    expect(inFlight.size).toBe(1);
    a.finish();
    b.finish();
    await Promise.all(started);
    await inFlight.settled();
    expect(inFlight.size).toBe(0);
  });

  it('does not start the work when it is no longer wanted once there is room', async () => {
    const inFlight = new InFlight(1);
    const first = held();
    inFlight.run(first.work);
    let stopped = false;
    const started = inFlight.start(async () => undefined, () => !stopped);
    stopped = true;
    first.finish();
    expect(await started).toBe(false);
  });
});
