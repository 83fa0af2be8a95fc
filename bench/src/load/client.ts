import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DriverSpec } from './drivers';
import type { LoadReply, LoadRequest, RunResult } from './loadgen';
import type { RunSpec } from './open-loop';

type Pending = { resolve: (r: RunResult | undefined) => void; reject: (e: Error) => void };
type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The orchestrator's handle on the load generator process. */
export class LoadGenerator {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private sessions = 0;

  constructor() {
    this.child = fork(path.join(__dirname, 'loadgen.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message) => {
      const reply = message as LoadReply;
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) p?.resolve(reply.result);
      else p?.reject(new Error(reply.error));
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`load generator exited with ${code}`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Opens a driver (connections, clients) that several runs reuse; returns its session name. */
  async open(driver: DriverSpec): Promise<string> {
    const session = `s${++this.sessions}`;
    await this.call({ op: 'open', session, driver });
    return session;
  }

  async run(session: string, spec: RunSpec): Promise<RunResult> {
    return (await this.call({ op: 'run', session, spec }))!;
  }

  async close(session: string): Promise<void> {
    await this.call({ op: 'close', session });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private call(req: Body<LoadRequest>): Promise<RunResult | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...req, id } as LoadRequest);
    });
  }
}
