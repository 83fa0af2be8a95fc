import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident memory in MB (VmRSS from /proc/<pid>/status). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

let ticksPerSecond: number | undefined;

/** User + system CPU time in milliseconds (utime + stime from /proc/<pid>/stat). */
export function cpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Samples each process's RSS every `everyMs` while a run goes on. */
export class RssSampler {
  private readonly samples = new Map<number, number[]>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: number[]) {}

  start(everyMs = 250): this {
    const take = () => {
      for (const pid of this.pids) {
        const list = this.samples.get(pid) ?? [];
        list.push(rssMb(pid));
        this.samples.set(pid, list);
      }
    };
    take();
    this.timer = setInterval(take, everyMs);
    return this;
  }

  /** Peak and mean RSS per pid, in MB. */
  stop(): Map<number, { peak: number; mean: number }> {
    clearInterval(this.timer);
    const out = new Map<number, { peak: number; mean: number }>();
    for (const [pid, list] of this.samples) out.set(pid, { peak: Math.max(...list), mean: list.reduce((a, b) => a + b, 0) / list.length });
    return out;
  }
}
