import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Each app runs as the leader of its own process group, so stopping it reaches whatever it started too (an
 * `npm run` wrapper, a shell, a watcher). These helpers signal and watch a whole group.
 */

/** Sends a signal to every process of the group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any process of the group still runs. On Linux it reads /proc and ignores zombies: an orphaned
 * grandchild that died is a zombie until init reaps it, and some container inits never do. Elsewhere it asks
 * the kernel with signal 0, which counts zombies as members.
 */
export function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux') {
    try {
      return liveMembersFromProc(pgid) > 0;
    } catch {
      // /proc not mounted: fall through
    }
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function liveMembersFromProc(pgid: number): number {
  let live = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the command name (which may hold spaces and parentheses): state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') live++;
  }
  return live;
}

/** Polls until the group is gone or the time is up; resolves whether it is gone. */
export async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

export type StopResult = 'exited' | 'terminated' | 'killed' | 'survived';

/** SIGTERM to the group, then SIGKILL to what is left after `graceMs`; resolves when nothing of it runs. */
export async function stopGroup(pgid: number, graceMs: number): Promise<StopResult> {
  if (!groupAlive(pgid)) return 'exited';
  signalGroup(pgid, 'SIGTERM');
  if (await waitForGroupExit(pgid, graceMs)) return 'terminated';
  signalGroup(pgid, 'SIGKILL');
  return (await waitForGroupExit(pgid, 2000)) ? 'killed' : 'survived';
}
