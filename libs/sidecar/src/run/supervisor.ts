import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { signalGroup, stopGroup, type StopResult } from './process-group';

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (not found, not executable...). */
  error?: Error;
}

export interface AppProcessOptions {
  appId: string;
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Receives every line the app prints, stdout and stderr alike. */
  onLine: (line: string) => void;
  /** How many of the last lines to keep for a failure report. */
  keepLines?: number;
}

/**
 * One app's process. It runs detached, as the leader of its own process group, so that stopping it reaches its
 * children too, and so that Ctrl-C in the terminal reaches only the runner, which then stops the apps in order.
 * Nothing here restarts an app: an exit is reported, and what happens next is the runner's decision.
 */
export class AppProcess {
  readonly exited: Promise<AppExit>;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private readonly keep: number;
  private streamsClosed: Promise<void>;

  constructor(private readonly opts: AppProcessOptions) {
    this.keep = opts.keepLines ?? 20;
    const [file, ...args] = opts.command;
    // `node` means the Node that runs the runner, so a version manager's PATH cannot start a different one.
    const executable = file === 'node' ? process.execPath : file!;
    this.child = spawn(executable, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.streamsClosed = Promise.all([this.lines(this.child.stdout!), this.lines(this.child.stderr!)]).then(() => undefined);
    this.exited = new Promise<AppExit>((resolve) => {
      this.child.once('error', (error) => resolve({ code: null, signal: null, error }));
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
    }).then(async (exit) => {
      // The last lines matter most in a failure report: let the pipes drain (bounded; a grandchild may hold them).
      await Promise.race([this.streamsClosed, new Promise((r) => setTimeout(r, 500).unref())]);
      return exit;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the app printed, oldest first. */
  lastLines(): string[] {
    return [...this.tail];
  }

  /** Stops the app and everything it started: SIGTERM to its group, SIGKILL to what is left after `graceMs`. */
  async stop(graceMs: number): Promise<StopResult> {
    const pid = this.child.pid;
    if (pid === undefined) return 'exited';
    const result = await stopGroup(pid, graceMs);
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 1000).unref())]);
    return result;
  }

  /** Last resort when the runner itself is going away right now: no waiting, nothing left behind. */
  killNow(): void {
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
  }

  private async lines(stream: Readable): Promise<void> {
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of reader) {
      this.tail.push(line);
      if (this.tail.length > this.keep) this.tail.shift();
      this.opts.onLine(line);
    }
  }
}

/** Why an app's process ended, in words. */
export function describeExit(exit: AppExit, command: string[]): string {
  if (exit.error) {
    const code = (exit.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `command not found: ${command[0]} (check the app's command and appDirPath)`;
    return `could not start ${command.join(' ')}: ${exit.error.message}`;
  }
  return exit.signal ? `exited on ${exit.signal}` : `exited with code ${exit.code}`;
}
