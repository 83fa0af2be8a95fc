import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './procs/processes';

export interface ProfileSummary {
  name: string;
  /** Sampled time in which the process was not idle. */
  busyMs: number;
  /** Self time by where it was spent (sidecar code, undici, Node's http, native calls such as socket writes, GC). */
  byArea: { area: string; selfMs: number; percent: number }[];
  top: { functionName: string; where: string; selfMs: number; percent: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (summed over call sites) and per area, from each `.cpuprofile` in `dir`; percentages of busy time. */
export function summariseProfiles(dir: string, top = 15): ProfileSummary[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  } catch {
    return [];
  }
  return files.map((file) => summarise(file.replace(/\.cpuprofile$/, ''), JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile, top));
}

function summarise(name: string, profile: CpuProfile, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, { functionName: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!;
    if (frame.functionName === '(idle)') return;
    busy += us;
    const where = frame.url ? `${shorten(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${where}`;
    const entry = self.get(key) ?? { functionName: frame.functionName, where, us: 0 };
    entry.us += us;
    self.set(key, entry);
    const area = areaOf(frame.functionName, frame.url);
    areas.set(area, (areas.get(area) ?? 0) + us);
  });
  const pct = (us: number) => (busy > 0 ? (us / busy) * 100 : 0);
  return {
    name,
    busyMs: busy / 1000,
    byArea: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, selfMs: us / 1000, percent: pct(us) })),
    top: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ functionName: e.functionName, where: e.where, selfMs: e.us / 1000, percent: pct(e.us) })),
  };
}

function areaOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8/libuv outside JS (program)';
  if (!url) return 'native calls (socket writes, buffers, timers)';
  if (url.startsWith('wasm://')) return 'undici (llhttp wasm parser)';
  if (url.startsWith('node:internal/modules') || functionName === 'wrapSafe' || functionName === 'compileForInternalLoader') return 'module loading (start-up)';
  if (url.startsWith('node:')) return "Node's http/net/streams/events";
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/libs/sidecar/')) return 'sidecar code (libs/sidecar)';
  return 'other';
}

function shorten(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) return file.slice(nm + '/node_modules/'.length);
  return file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
}
