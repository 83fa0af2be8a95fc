import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errors';
import { stopGroup } from './process-group';

export type BuildResult =
  | { kind: 'built'; ms: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string; output: string[] }
  | { kind: 'interrupted' };

/**
 * Builds the apps before they start: `nx run-many -t build` over their folders, so Nx builds what they depend on
 * first and skips whatever its cache already holds. Nx's own output is kept back unless the build fails.
 */
export async function buildApps(appDirs: string[], onStart: (description: string) => void, signal: AbortSignal): Promise<BuildResult> {
  const root = workspaceRoot(appDirs[0] ?? process.cwd());
  if (!root) return { kind: 'skipped', reason: 'the apps are not in an Nx workspace (no nx.json above them)' };
  const inside = appDirs.map((d) => path.relative(root, d)).filter((rel) => rel && !rel.startsWith('..') && !path.isAbsolute(rel));
  if (!inside.length) return { kind: 'skipped', reason: `no app folder is inside the workspace at ${root}` };
  let nx: string;
  try {
    nx = nxBin(root);
  } catch (err) {
    return { kind: 'failed', reason: `cannot find Nx in ${root} (run npm install, or pass --no-build): ${errorMessage(err)}`, output: [] };
  }
  const projects = inside.map((rel) => `directory:${rel.split(path.sep).join('/')}`).join(',');
  const args = [nx, 'run-many', '-t', 'build', `--projects=${projects}`, '--outputStyle=static'];
  onStart(`nx run-many -t build for ${inside.length} app folder${inside.length === 1 ? '' : 's'}`);

  const started = Date.now();
  // A daemon would outlive the run; the user's own NX_DAEMON setting still wins.
  const env = { ...process.env, NX_DAEMON: process.env['NX_DAEMON'] ?? 'false', NX_TUI: 'false' };
  const child = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n'));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const abort = () => void stopGroup(child.pid!, 2000);
  signal.addEventListener('abort', abort, { once: true });
  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  signal.removeEventListener('abort', abort);
  if (signal.aborted) {
    await stopGroup(child.pid!, 2000);
    return { kind: 'interrupted' };
  }
  if (exit.error) return { kind: 'failed', reason: `could not run Nx: ${exit.error.message}`, output: [] };
  if (exit.code !== 0) return { kind: 'failed', reason: `the build failed (exit code ${exit.code})`, output: output.filter((l) => l.trim()).slice(-60) };
  return { kind: 'built', ms: Date.now() - started };
}

function workspaceRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function nxBin(root: string): string {
  const pkgFile = require.resolve('nx/package.json', { paths: [root] });
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin?: Record<string, string> };
  return path.join(path.dirname(pkgFile), pkg.bin?.['nx'] ?? 'bin/nx.js');
}
