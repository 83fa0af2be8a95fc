/**
 * The handlers a broker's subscription has running: at most `limit` at once, and a way to wait for all of them
 * when the subscription stops (the Unsubscribe contract: stop, then let running handlers settle).
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private readonly slotWaiters: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.running.size;
  }

  /**
   * Resolves once fewer than `limit` handlers run, so a reader pulls no more than it can hand over. It only says
   * there was room: a caller that then starts a handler after another await uses `start`.
   */
  async slot(): Promise<void> {
    while (this.running.size >= this.limit) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  /**
   * Waits for room and starts `work` in the same step, so two callers waiting for one free slot never both
   * start. False, without starting it, when `wanted` says no once there is room (the subscription stopped).
   */
  async start(work: () => Promise<void>, wanted: () => boolean = () => true): Promise<boolean> {
    // Checked again here: between `slot` resolving and this line, another waiter may have taken the room.
    do {
      await this.slot();
    } while (this.running.size >= this.limit);
    if (!wanted()) return false;
    void this.run(work);
    return true;
  }

  /** Runs `work` and tracks it. `work` handles its own errors: a rejection that escapes it is dropped here. */
  run(work: () => Promise<void>): Promise<void> {
    const task = work()
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(task);
        // Every waiter looks again: waking only one would lose the room when that one starts nothing (a reader
        // whose read came back empty), leaving the others asleep with nothing running to wake them.
        for (const wake of this.slotWaiters.splice(0)) wake();
      });
    this.running.add(task);
    return task;
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
