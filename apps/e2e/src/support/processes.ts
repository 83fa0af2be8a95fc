import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The process that listens on a TCP port, found the way `ss -ltnp` finds it: the listening socket's inode in
 * /proc/net/tcp{,6}, then the process holding that inode among its file descriptors. Linux only, like the
 * runner's own process-group handling; no extra tool needed.
 */
export function pidListeningOn(port: number): number {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) throw new Error(`nothing listens on port ${port}`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {
        // closed while we looked
      }
    }
  }
  throw new Error(`no process found for the socket listening on port ${port}`);
}

const LISTEN = '0A';

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== LISTEN) continue;
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/**
 * Freezes a process (SIGSTOP) until `resume` (SIGCONT): it keeps its port but answers nothing, which is how a
 * hung app looks to its callers. Its sidecar stays up and keeps the messages for it, as in a real outage.
 */
export function freeze(pid: number): { resume(): void } {
  process.kill(pid, 'SIGSTOP');
  let resumed = false;
  return {
    resume: () => {
      if (resumed) return;
      resumed = true;
      process.kill(pid, 'SIGCONT');
    },
  };
}
