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

  /** Resolves once fewer than `limit` handlers run, so a reader pulls no more than it can hand over. */
  async slot(): Promise<void> {
    while (this.running.size >= this.limit) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  /** Runs `work` and tracks it. `work` handles its own errors: a rejection that escapes it is dropped here. */
  run(work: () => Promise<void>): Promise<void> {
    const task = work()
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(task);
        this.slotWaiters.shift()?.();
      });
    this.running.add(task);
    return task;
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
