import { Injectable } from '@nestjs/common';
import { APPS, SIDECAR_METADATA_ROUTE, type AppName } from '@repo/contracts';
import { FrontConfig } from '../config';
import { APP_LABELS } from '../upstream/app-labels';
import { AppNotAnswering } from '../upstream/app-not-answering';
import { Upstream } from '../upstream/upstream';
import type { AppStatusView } from '../web/views';
import { summariseMetadata } from './sidecar-metadata';

/** Every app of the template, checked through invocation: its health route and its sidecar's metadata. */
@Injectable()
export class AppsStatusService {
  constructor(
    private readonly upstream: Upstream,
    private readonly config: FrontConfig,
  ) {}

  all(): Promise<AppStatusView[]> {
    return Promise.all((Object.keys(APPS) as AppName[]).map((appId) => this.one(appId)));
  }

  private async one(appId: AppName): Promise<AppStatusView> {
    const [health, sidecar] = await Promise.all([this.upstream.health(appId), this.sidecar(appId)]);
    return { appId, label: APP_LABELS[appId], health, ...sidecar };
  }

  private async sidecar(appId: AppName): Promise<Pick<AppStatusView, 'sidecar' | 'sidecarProblem'>> {
    try {
      const res = await this.upstream.invoke(appId, SIDECAR_METADATA_ROUTE.slice(1), { timeoutMs: this.config.probeTimeoutMs });
      if (!res.ok) return { sidecarProblem: `GET ${SIDECAR_METADATA_ROUTE} on ${appId} answered ${res.status}` };
      return { sidecar: summariseMetadata(res.json<unknown>()) };
    } catch (err) {
      if (err instanceof AppNotAnswering) return { sidecarProblem: `${APP_LABELS[appId]} is not answering (${err.detail})` };
      return { sidecarProblem: err instanceof Error ? err.message : String(err) };
    }
  }
}
