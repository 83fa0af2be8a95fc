interface LockEntry {
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface Lockfile {
  packages: Record<string, LockEntry>;
}

export interface InstallPlan {
  /** Lockfile locations npm installs (`node_modules/x`, `libs/a/node_modules/y`), each a folder to copy. */
  packages: string[];
  /** Workspace links (`node_modules/@repo/a` → `libs/a`). */
  links: Record<string, string>;
}

/**
 * The packages `npm ci [--omit=dev] [-w <ws>]... [--include-workspace-root]` installs, read from package-lock.json:
 * everything reachable from the selected workspaces (and the root) through dependencies, optional dependencies and
 * required peer dependencies, each name resolved the way Node looks it up (nearest node_modules first).
 */
export function planInstall(lock: Lockfile, opts: { workspaces: string[]; includeRoot: boolean; omitDev: boolean }): InstallPlan {
  const packages = new Set<string>();
  const links: Record<string, string> = {};
  const queue: string[] = [];
  const visit = (location: string) => {
    if (packages.has(location)) return;
    packages.add(location);
    queue.push(location);
  };
  if (opts.includeRoot || opts.workspaces.length === 0) visit('');
  for (const ws of opts.workspaces) {
    if (!lock.packages[ws]) throw new Error(`package-lock.json has no workspace ${ws} (run npm install to update it)`);
    visit(ws);
    // npm links every workspace it installs into the root node_modules, whether or not anything depends on it.
    const link = Object.entries(lock.packages).find(([, e]) => e.link && e.resolved === ws);
    if (link) links[link[0]] = ws;
  }
  while (queue.length > 0) {
    const location = queue.shift()!;
    const entry = lock.packages[location]!;
    // Optional peers are installed only when something else needs them, so they are no edge of their own.
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((n) => !entry.peerDependenciesMeta?.[n]?.optional);
    const wanted: [string, boolean][] = [
      ...[...Object.keys(entry.dependencies ?? {}), ...peers].map((n) => [n, false] as [string, boolean]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((n) => [n, true] as [string, boolean]),
    ];
    if (!opts.omitDev && (location === '' || opts.workspaces.includes(location))) {
      wanted.push(...Object.keys((entry as { devDependencies?: object }).devDependencies ?? {}).map((n) => [n, false] as [string, boolean]));
    }
    for (const [name, optional] of wanted) {
      const found = resolve(lock, location, name);
      if (!found) {
        if (optional) continue;
        throw new Error(`package-lock.json cannot resolve ${name} from ${location || 'the root'}`);
      }
      const target = lock.packages[found]!;
      if (target.link && target.resolved) {
        links[found] = target.resolved;
        visit(target.resolved);
      } else {
        visit(found);
      }
    }
  }
  packages.delete('');
  for (const ws of Object.values(links)) packages.delete(ws);
  for (const ws of opts.workspaces) packages.delete(ws);
  return { packages: [...packages].sort(), links };
}

/** Node's lookup: `<dir>/node_modules/<name>` from the package's own folder up to the root. */
function resolve(lock: Lockfile, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    // `node_modules/a/node_modules/b` → `node_modules/a`; a top-level package or a workspace folder → the root.
    const at = dir.lastIndexOf('/node_modules/');
    dir = at >= 0 ? dir.slice(0, at) : '';
  }
}
