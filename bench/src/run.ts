import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFor } from './config';
import { scratchDir, type BenchContext } from './context';
import { LoadGenerator } from './load/client';
import { describeMachine } from './machine';
import { summariseProfiles } from './profile';
import { ROOT, stopAll } from './procs/processes';
import { renderReport, type BenchResults, type Section } from './report/render';
import { invocationSection } from './sections/invocation';
import { publishSection } from './sections/publish';
import { sagaSection } from './sections/saga';
import { startupSection } from './sections/startup';
import { stateSection } from './sections/state';

const BENCH = path.join(ROOT, 'bench');
const RESULTS = path.join(BENCH, 'results');

/** `npm run bench [-- --quick] [-- --profile]`: runs every section and writes bench/REPORT.md and bench/results/latest.json. */
async function main(): Promise<void> {
  const config = configFor(process.argv.slice(2));
  const started = Date.now();
  const tmp = scratchDir();
  const profileDir = path.join(RESULTS, 'profiles');
  if (config.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const lg = new LoadGenerator();
  const ctx: BenchContext = { config, lg, tmp, profileDir, log: (m) => process.stdout.write(`bench: ${m}\n`) };
  const machine = await describeMachine();
  const loads: number[] = [machine.loadAverage.start];
  const loadTimer = setInterval(() => loads.push(os.loadavg()[0]!), 5000);
  ctx.log(`${config.quick ? 'quick' : 'full'} run on ${machine.cores} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.start.toFixed(2)}`);
  // A section that fails is reported as not measured, with why; the others still run.
  const section = async <T>(name: string, fn: (c: BenchContext) => Promise<T | { notMeasured: string }>): Promise<Section<T>> => {
    if (config.only.length > 0 && !config.only.includes(name)) return { notMeasured: `skipped (--only=${config.only.join(',')})` };
    const t0 = Date.now();
    try {
      const result = await fn(ctx);
      ctx.log(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return result;
    } catch (err) {
      ctx.log(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      await stopAll();
      return { notMeasured: `${name} failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` };
    }
  };
  try {
    const results: BenchResults = {
      startedAt: new Date(started).toISOString(),
      durationSeconds: 0,
      mode: config.quick ? 'quick' : 'full',
      config,
      machine,
      invocation: await section('invocation', invocationSection),
      state: await section('state', stateSection),
      publish: await section('publish', publishSection),
      saga: await section('saga', sagaSection),
      startup: await section('startup', startupSection),
    };
    clearInterval(loadTimer);
    machine.loadAverage.end = os.loadavg()[0]!;
    machine.loadAverage.mean = loads.reduce((a, b) => a + b, 0) / loads.length;
    machine.loadAverage.max = Math.max(...loads);
    results.durationSeconds = (Date.now() - started) / 1000;
    if (config.profile) results.profiles = summariseProfiles(profileDir);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(path.join(BENCH, 'REPORT.md'), renderReport(results));
    ctx.log(`wrote bench/REPORT.md and bench/results/latest.json in ${Math.round(results.durationSeconds)} s`);
  } finally {
    clearInterval(loadTimer);
    lg.stop();
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
