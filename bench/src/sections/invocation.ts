import path from 'node:path';
import type { BenchContext } from '../context';
import { jsonPayload, profileArgs } from '../context';
import { measurePaths, rampUp, type Measured, type RampStep } from '../load/measure';
import { startBareProxy, startSidecar, startTargetApp } from '../procs/processes';
import { rssMb } from '../procs/proc-stats';

export interface InvocationResults {
  direct: Measured;
  proxies: Measured;
  sidecars: Measured;
  idleRssMb: { sidecarCaller: number; sidecarCallee: number; proxyFirst: number; proxySecond: number; app: number };
  maxRate: Record<'direct' | 'proxies' | 'sidecars', { sustainedRate: number; steps: RampStep[] }>;
}

/**
 * app → sidecar → sidecar → app, against app → app and against app → bare proxy → bare proxy → app: Dapr's
 * invocation harness (1,000 requests/s, 16 connections, 1 KB) with the load generator as the calling app.
 */
export async function invocationSection(ctx: BenchContext): Promise<InvocationResults> {
  const { lg, config } = ctx;
  const cfg = config.invocation;
  const app = await startTargetApp();
  const registryDir = path.join(ctx.tmp, 'registry-invocation');
  const [callee, second] = await Promise.all([
    startSidecar({ appId: 'bench-target', appPort: app.port, registryDir, nodeArgs: profileArgs(ctx, 'invocation-callee') }),
    startBareProxy(app.url, profileArgs(ctx, 'invocation-bare-proxy-2')),
  ]);
  const [caller, first] = await Promise.all([
    startSidecar({ appId: 'bench-caller', registryDir, nodeArgs: profileArgs(ctx, 'invocation-caller') }),
    startBareProxy(second.url, profileArgs(ctx, 'invocation-bare-proxy-1')),
  ]);
  await new Promise((r) => setTimeout(r, 500));
  const idleRssMb = { sidecarCaller: rssMb(caller.pid), sidecarCallee: rssMb(callee.pid), proxyFirst: rssMb(first.pid), proxySecond: rssMb(second.pid), app: rssMb(app.pid) };

  const body = jsonPayload(cfg.bodyBytes);
  const http = (origin: string, p: string) => lg.open({ kind: 'http', origin, method: 'POST', path: p, body, connections: cfg.connections });
  const sessions = {
    direct: await http(app.url, '/echo'),
    proxies: await http(first.url, '/echo'),
    sidecars: await http(caller.url, '/v1.0/invoke/bench-target/method/echo'),
  };
  ctx.log(`invocation: ${cfg.rate}/s, ${cfg.connections} connections, ${cfg.bodyBytes} B, ${cfg.rounds} × ${cfg.roundMs / 1000} s per path`);
  const measured = await measurePaths(
    lg,
    [
      { name: 'direct', session: sessions.direct, watch: [{ label: 'app', pid: app.pid }] },
      {
        name: 'proxies',
        session: sessions.proxies,
        watch: [
          { label: 'bare proxy 1', pid: first.pid },
          { label: 'bare proxy 2', pid: second.pid },
        ],
      },
      {
        name: 'sidecars',
        session: sessions.sidecars,
        watch: [
          { label: 'caller sidecar', pid: caller.pid },
          { label: 'callee sidecar', pid: callee.pid },
        ],
      },
    ],
    cfg,
  );

  ctx.log('invocation: ramping up to the highest sustained rate');
  const ramp = (name: 'direct' | 'proxies' | 'sidecars') => {
    const fixed = measured.get(name)!;
    const known = fixed.errors + fixed.dropped + fixed.timeouts === 0 ? { rate: cfg.rate, p50: fixed.latency.p50, p99: fixed.latency.p99 } : undefined;
    return rampUp(lg, sessions[name], config.ramp, known);
  };
  const maxRate = { direct: await ramp('direct'), proxies: await ramp('proxies'), sidecars: await ramp('sidecars') };
  for (const s of Object.values(sessions)) await lg.close(s);
  await Promise.all([caller.stop(), callee.stop(), first.stop(), second.stop(), app.stop()]);
  return { direct: measured.get('direct')!, proxies: measured.get('proxies')!, sidecars: measured.get('sidecars')!, idleRssMb, maxRate };
}
