import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NameResolver } from './resolver';

interface Entry {
  appId: string;
  namespace?: string;
  host: string;
  port: number;
  pid: number;
}

/** How long a lookup is trusted before the directory is read again. */
const CACHE_MS = 1000;
/** Older than this, a lookup is not used while the directory is read again. */
const STALE_MS = 5 * CACHE_MS;

export function defaultRegistryDir(): string {
  return process.env['SIDECAR_REGISTRY_DIR'] ?? path.join(os.tmpdir(), 'dapr-sidecar-registry');
}

/**
 * Standalone name resolution with nothing to configure: each sidecar writes one small file per app id into a
 * directory every process on the machine can read (the role mDNS plays for daprd). Entries of processes that
 * are gone are ignored and cleared; several entries for one app id (replicas) are used in turn.
 */
export class LocalRegistryResolver implements NameResolver {
  private readonly cache = new Map<string, { at: number; origins: string[]; next: number }>();
  /** One directory read per app id at a time, however many requests ask meanwhile. */
  private readonly reading = new Map<string, Promise<string[]>>();

  constructor(private readonly dir = defaultRegistryDir()) {}

  async register(entry: { appId: string; namespace?: string; host: string; port: number }): Promise<() => Promise<void>> {
    const folder = path.join(this.dir, entry.appId);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `${process.pid}-${entry.port}.json`);
    const record: Entry = { ...entry, pid: process.pid };
    await writeFile(file, JSON.stringify(record));
    return () => rm(file, { force: true });
  }

  /**
   * Under steady traffic, known origins are answered at once and re-read in the background once they are older
   * than CACHE_MS, so requests do not wait on the disk. An app id that is unknown, known to be absent, or not
   * asked for in a while (STALE_MS) waits for the read, as does the call after a failed connection (invalidate).
   */
  async resolve(appId: string, namespace: string | undefined): Promise<string | undefined> {
    const key = namespace === undefined ? appId : `${appId}.${namespace}`;
    let hit = this.cache.get(key);
    const age = hit ? Date.now() - hit.at : Infinity;
    if (hit && hit.origins.length > 0 && age <= STALE_MS) {
      if (age > CACHE_MS) void this.refresh(key, appId, namespace).catch(() => undefined);
    } else if (age > CACHE_MS) {
      await this.refresh(key, appId, namespace);
      hit = this.cache.get(key);
    }
    if (!hit || hit.origins.length === 0) return undefined;
    return hit.origins[hit.next++ % hit.origins.length];
  }

  invalidate(appId: string, namespace: string | undefined): void {
    this.cache.delete(namespace === undefined ? appId : `${appId}.${namespace}`);
  }

  private async refresh(key: string, appId: string, namespace: string | undefined): Promise<void> {
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.read(appId, namespace).finally(() => this.reading.delete(key));
      this.reading.set(key, reading);
    }
    const origins = await reading;
    const previous = this.cache.get(key);
    this.cache.set(key, { at: Date.now(), origins, next: previous?.next ?? 0 });
  }

  private async read(appId: string, namespace: string | undefined): Promise<string[]> {
    const folder = path.join(this.dir, appId);
    let files: string[];
    try {
      files = await readdir(folder);
    } catch {
      return [];
    }
    const origins: string[] = [];
    for (const name of files.filter((f) => f.endsWith('.json')).sort()) {
      const file = path.join(folder, name);
      const entry = await readEntry(file);
      if (!entry || !isAlive(entry.pid)) {
        await rm(file, { force: true });
        continue;
      }
      if ((entry.namespace ?? undefined) === (namespace ?? undefined)) origins.push(`http://${entry.host}:${entry.port}`);
    }
    return origins;
  }
}

async function readEntry(file: string): Promise<Entry | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Entry;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
