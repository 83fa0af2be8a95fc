import type { INestApplication, Type } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Tests host sidecars in their own process (as `npm start` does), so apps share the in-memory broker.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createSidecar, type Sidecar } from '../../../sidecar/src';
import { runDaprApp, type DaprAppOptions } from '../../src';
import { freePort } from './sidecar';

export interface RunningSidecar {
  sidecar: Sidecar;
  /** The sidecar's HTTP API, e.g. for publishing as another app would. */
  daprUrl: string;
  stop(): Promise<void>;
}

export interface RunningDaprApp extends RunningSidecar {
  app: INestApplication;
  url: string;
}

export interface SidecarSpec {
  appId: string;
  appPort?: number;
  /** YAML per file name. */
  resources?: Record<string, string>;
  /** Sidecars that invoke each other share one name-resolution directory. */
  registryDir: string;
}

export function resourcesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'app-resources-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

export function newRegistryDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'app-registry-'));
}

/** A sidecar in this process; `start()` resolved, so its API answers (the app may come later). */
export async function startInProcessSidecar(spec: SidecarSpec): Promise<RunningSidecar> {
  const sidecar = createSidecar({
    appId: spec.appId,
    appPort: spec.appPort,
    daprHttpPort: 0,
    resourcesPaths: spec.resources ? [resourcesDir(spec.resources)] : [],
    registryDir: spec.registryDir,
    logLevel: 'warn',
    gracefulShutdownSeconds: 1,
  });
  await sidecar.start();
  return { sidecar, daprUrl: `http://127.0.0.1:${sidecar.httpPort}`, stop: () => sidecar.stop() };
}

/**
 * An app of this repository with its sidecar, both in this process: the sidecar starts, the app starts with
 * `DAPR_HTTP_PORT` (and `env`) pointing at it, and this resolves once the sidecar is ready (app reachable,
 * subscriptions made).
 */
export async function startDaprApp(
  spec: SidecarSpec & { rootModule: Type<unknown>; env?: Record<string, string>; pubsub?: DaprAppOptions['pubsub'] },
): Promise<RunningDaprApp> {
  const appPort = await freePort();
  const side = await startInProcessSidecar({ ...spec, appPort });
  let app: INestApplication;
  try {
    app = await withEnv({ DAPR_HTTP_PORT: String(side.sidecar.httpPort), ...spec.env }, () =>
      runDaprApp(spec.rootModule, { port: appPort, host: '127.0.0.1', pubsub: spec.pubsub, appId: spec.appId }),
    );
  } catch (err) {
    await side.stop();
    throw err;
  }
  await side.sidecar.whenReady();
  return {
    ...side,
    app,
    url: `http://127.0.0.1:${appPort}`,
    stop: async () => {
      await app.close();
      await side.stop();
    },
  };
}

/** Sets environment variables while `fn` creates an app (config providers read them then), then restores them. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
