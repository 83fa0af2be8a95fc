import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/sidecar.js');

export interface RunnerProcess {
  process: ChildProcess;
  /** Everything the runner printed so far (stdout and stderr). */
  output(): string;
  /** Waits until the output matches (or the runner exits first, or the time is up: both throw with the output). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the runner exited; throws (after SIGKILL) if it does not within the time. */
  exited(timeoutMs?: number): Promise<number | null>;
  /** Sends the signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Starts `sidecar run <args>` the way `npm start` does; colours off so the output can be matched. */
export function startRunner(args: string[], env: Record<string, string> = {}, cwd?: string): RunnerProcess {
  const child = spawn(process.execPath, [BIN, 'run', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const exited = async (timeoutMs = 20_000) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'late')));
    const result = await Promise.race([exit, late]);
    clearTimeout(timer);
    if (result === 'late') {
      child.kill('SIGKILL');
      throw new Error(`the runner did not exit within ${timeoutMs} ms:\n${output}`);
    }
    return result;
  };

  return {
    process: child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGINT', timeoutMs) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited(timeoutMs);
    },
    waitFor: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the runner exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`the runner did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Whether a process still runs; a zombie (dead, not yet reaped by an init that may never reap) counts as gone. */
export function processRuns(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
