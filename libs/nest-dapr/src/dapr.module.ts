import { Controller, Get, Module, ServiceUnavailableException, type DynamicModule, type Type } from '@nestjs/common';
import { DaprClient } from './client/dapr-client';
import { daprOptionsFromEnv, type DaprClientOptions } from './client/options';
import { DAPR_CLIENT_OPTIONS } from './client/tokens';

export interface DaprModuleOptions extends Partial<DaprClientOptions> {
  /** The route that answers 200 once the sidecar is reachable (503 before); false for none. Default `/healthz`. */
  healthRoute?: string | false;
  /**
   * A route that answers with this app's sidecar metadata (`GET /v1.0/metadata`), for an operations page that
   * reaches apps by service invocation (which never reaches a sidecar's own API). Default: none.
   */
  metadataRoute?: string | false;
}

/**
 * `DaprModule.forRoot()`: a global `DaprClient` configured from the environment (`DAPR_HTTP_PORT`,
 * `DAPR_API_TOKEN`), and the app's health route, which reports ready once the sidecar's outbound health answered.
 */
@Module({})
export class DaprModule {
  static forRoot(options: DaprModuleOptions = {}): DynamicModule {
    const { healthRoute = '/healthz', metadataRoute = false, ...clientOptions } = options;
    return {
      module: DaprModule,
      global: true,
      controllers: [...(healthRoute ? [healthController(healthRoute)] : []), ...(metadataRoute ? [metadataController(metadataRoute)] : [])],
      providers: [
        // Read when the app is created, not when the module is declared, so the environment of that moment counts.
        { provide: DAPR_CLIENT_OPTIONS, useFactory: (): DaprClientOptions => ({ ...daprOptionsFromEnv(), ...definedOnly(clientOptions) }) },
        DaprClient,
      ],
      exports: [DAPR_CLIENT_OPTIONS, DaprClient],
    };
  }
}

function healthController(route: string): Type<unknown> {
  @Controller()
  class DaprHealthController {
    constructor(private readonly dapr: DaprClient) {
      // Start waiting at once, so the first probe after the sidecar came up already answers 200.
      dapr.whenReady().catch(() => undefined);
    }

    @Get(route)
    health(): { status: 'ok' } {
      if (!this.dapr.isReady()) {
        this.dapr.whenReady().catch(() => undefined);
        throw new ServiceUnavailableException(`waiting for the Dapr sidecar on ${this.dapr.sidecarUrl}`);
      }
      return { status: 'ok' };
    }
  }
  return DaprHealthController;
}

function metadataController(route: string): Type<unknown> {
  @Controller()
  class DaprMetadataController {
    constructor(private readonly dapr: DaprClient) {}

    @Get(route)
    metadata(): Promise<Record<string, unknown>> {
      return this.dapr.getMetadata();
    }
  }
  return DaprMetadataController;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
