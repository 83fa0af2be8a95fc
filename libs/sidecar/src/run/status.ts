import type { Output } from './output';

export type AppState = 'starting' | 'ready' | 'failed' | 'stopped';

export interface AppUrls {
  /** Where the app itself answers (none for an app without appPort). */
  app?: string;
  /** Its sidecar's HTTP API. */
  sidecar: string;
}

interface Entry {
  state: AppState;
  urls?: AppUrls;
}

/**
 * Each app's state as it comes up (starting → ready, or failed with the reason) and, once no app is still
 * starting, the summary: the URLs and the time from the runner's start to all apps ready.
 */
export class Status {
  private readonly entries = new Map<string, Entry>();
  private summarised = false;

  constructor(
    private readonly out: Output,
    appIds: string[],
    private readonly startedAt: number,
    private readonly exitOnFailure: boolean,
  ) {
    for (const id of appIds) this.entries.set(id, { state: 'starting' });
  }

  starting(appId: string, detail: string): void {
    this.set(appId, { state: 'starting' });
    this.out.info(`${this.out.name(appId)} starting (${detail})`);
  }

  ready(appId: string, urls: AppUrls, afterMs: number): void {
    this.set(appId, { state: 'ready', urls });
    this.out.info(`${this.out.name(appId)} ready in ${seconds(afterMs)}`, 'good');
    this.summariseWhenSettled();
  }

  failed(appId: string, why: string, lastLines: string[]): void {
    const wasReady = this.entries.get(appId)?.state === 'ready';
    // Its last lines are repeated unless they are what is right above, uninterrupted by other apps.
    const repeat = lastLines.length > 0 && this.out.lastWriter !== appId;
    this.set(appId, { state: 'failed' });
    this.out.info(`${this.out.name(appId)} failed${wasReady ? ' after it was ready' : ''}: ${why}`, 'bad');
    if (repeat) {
      this.out.info(`last output of ${appId}:`, 'dim');
      for (const line of lastLines) this.out.app(appId, line);
    }
    const running = this.count('starting') + this.count('ready');
    if (running && !this.exitOnFailure) {
      this.out.info(`the other apps keep running (${running} of ${this.entries.size}); nothing is restarted. Ctrl-C stops them, --exit-on-failure stops everything on a failure`);
    }
    this.summariseWhenSettled();
  }

  stopped(appId: string): void {
    this.set(appId, { state: 'stopped' });
  }

  state(appId: string): AppState | undefined {
    return this.entries.get(appId)?.state;
  }

  /** Apps still starting or running. */
  alive(): number {
    return this.count('starting') + this.count('ready');
  }

  private summariseWhenSettled(): void {
    if (this.summarised || this.count('starting') > 0) return;
    const ready = [...this.entries].filter(([, e]) => e.state === 'ready');
    if (ready.length === 0) return;
    this.summarised = true;
    const total = this.entries.size;
    const took = seconds(Date.now() - this.startedAt);
    if (ready.length === total) this.out.info(`${total === 1 ? 'the app is' : `all ${total} apps`} ready in ${took} since start:`, 'good');
    else this.out.info(`${ready.length} of ${total} apps ready in ${took}; failed: ${this.names('failed').join(', ')}`, 'bad');
    const width = Math.max(...ready.map(([id]) => id.length));
    for (const [id, e] of ready) {
      const app = e.urls?.app ? e.urls.app.padEnd(24) : '(no app port)'.padEnd(24);
      this.out.info(`  ${this.out.name(id)}${' '.repeat(width - id.length)}  ${app}  sidecar ${e.urls?.sidecar}`);
    }
    this.out.info('Ctrl-C stops everything');
  }

  private set(appId: string, entry: Entry): void {
    this.entries.set(appId, entry);
  }

  private count(state: AppState): number {
    return [...this.entries.values()].filter((e) => e.state === state).length;
  }

  private names(state: AppState): string[] {
    return [...this.entries].filter(([, e]) => e.state === state).map(([id]) => id);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
