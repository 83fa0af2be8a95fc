import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { healthRoutes, shutdownRoutes } from './api/health';
import { metadataRoutes } from './api/metadata';
import { publishRoutes } from './api/publish';
import { secretRoutes } from './api/secrets';
import { createApiHandler, createLimitedServer, type HttpLimits } from './api/server';
import { stateRoutes } from './api/state';
import { AppChannel } from './app-channel';
import { ComponentHost } from './components/host';
import { errorMessage } from './errors';
import { Invoker } from './invocation/invoker';
import { LocalRegistryResolver } from './invocation/local-registry';
import { Messaging } from './messaging/messaging';
import { PoolCache } from './invocation/proxy';
import { KubernetesDnsResolver, type NameResolver } from './invocation/resolver';
import { sendError } from './api/http';
import { createLogger } from './observability/logger';
import { DEFAULTS, type SidecarOptions } from './options';
import { loadResources } from './resources/load';
import type { LoadedResources } from './resources/types';
import { VERSION } from './version';

export interface Sidecar {
  readonly appId: string;
  /** The API port, known once `start()` resolved (useful with `daprHttpPort: 0`). */
  readonly httpPort: number;
  readonly internalPort: number;
  readonly logger: Logger;
  /** Loads resources and components and starts listening; resolves when outbound-healthy. */
  start(): Promise<void>;
  /** Resolves when `/v1.0/healthz` answers 204: the app's port answered and subscriptions started. */
  whenReady(): Promise<void>;
  /** Stops taking requests, lets in-flight ones finish within the graceful period, then closes everything. */
  stop(): Promise<void>;
  /** Called when `/v1.0/shutdown` is requested; the CLI stops and exits, a host process may do otherwise. */
  onShutdownRequested(listener: () => void): void;
}

export function createSidecar(options: SidecarOptions): Sidecar {
  return new SidecarRuntime(options);
}

class SidecarRuntime implements Sidecar {
  readonly appId: string;
  readonly logger: Logger;
  private readonly opts: Required<Pick<SidecarOptions, 'mode' | 'maxBodyBytes' | 'gracefulShutdownSeconds' | 'listenAddresses' | 'appChannelAddress'>> & SidecarOptions;
  private readonly limits: HttpLimits;
  private readonly extended = new Map<string, string>();
  private readonly shutdownListeners: (() => void)[] = [];
  private readonly stopping = new AbortController();
  private readonly pools = new PoolCache();
  private servers: Server[] = [];
  private internalServer?: Server;
  private components?: ComponentHost;
  private resources?: LoadedResources;
  private appChannel?: AppChannel;
  private messaging?: Messaging;
  private resolver?: NameResolver;
  private unregister?: () => Promise<void>;
  private outboundReady = false;
  private appReachable = false;
  private subscribed = false;
  private ready?: Promise<void>;
  private stopped?: Promise<void>;
  private port = 0;
  private peerPort = 0;

  constructor(options: SidecarOptions) {
    this.appId = options.appId;
    this.opts = {
      ...options,
      mode: options.mode ?? 'standalone',
      maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
      gracefulShutdownSeconds: options.gracefulShutdownSeconds ?? DEFAULTS.gracefulShutdownSeconds,
      listenAddresses: options.listenAddresses ?? [...DEFAULTS.listenAddresses],
      appChannelAddress: options.appChannelAddress ?? DEFAULTS.appChannelAddress,
    };
    this.limits = {
      // Go's http.Server allows MaxHeaderBytes plus 4096 bytes; daprd sets MaxHeaderBytes to the read buffer size.
      maxHeaderBytes: (options.readBufferBytes ?? DEFAULTS.readBufferBytes) + 4096,
      headersTimeoutMs: DEFAULTS.headersTimeoutMs,
      requestTimeoutMs: DEFAULTS.requestTimeoutMs,
    };
    this.logger = createLogger({ appId: this.appId, level: options.logLevel ?? 'info', json: options.logAsJson ?? false });
  }

  get httpPort(): number {
    return this.port;
  }

  get internalPort(): number {
    return this.peerPort;
  }

  onShutdownRequested(listener: () => void): void {
    this.shutdownListeners.push(listener);
  }

  async start(): Promise<void> {
    const { opts } = this;
    this.resources = await loadResources({
      resourcesPaths: opts.resourcesPaths ?? [],
      configPath: opts.configPath,
      appId: this.appId,
      namespace: opts.namespace,
      onSkip: (origin, reason) => this.logger.debug(`skipped ${origin.file} (document ${origin.document}): ${reason}`),
    });
    this.components = await ComponentHost.load(this.resources.components, {
      appId: this.appId,
      namespace: opts.namespace,
      kubernetesMode: opts.mode === 'kubernetes',
      logger: this.logger,
    });
    if (opts.appPort !== undefined) {
      this.appChannel = new AppChannel({ address: opts.appChannelAddress, port: opts.appPort, appApiToken: opts.appApiToken });
    }
    this.messaging = new Messaging({
      appId: this.appId,
      namespace: opts.namespace,
      components: this.components,
      resources: this.resources,
      appChannel: this.appChannel,
      logger: this.logger,
    });
    const kubernetes = opts.mode === 'kubernetes';
    const internalPort = opts.daprInternalPort ?? (kubernetes ? DEFAULTS.kubernetesInternalPort : 0);
    this.resolver = kubernetes ? new KubernetesDnsResolver(internalPort) : new LocalRegistryResolver(opts.registryDir);
    const invoker = new Invoker({
      appId: this.appId,
      namespace: opts.namespace,
      resolver: this.resolver,
      pools: this.pools,
      appChannel: this.appChannel,
      maxBodyBytes: opts.maxBodyBytes,
      logger: this.logger,
    });

    const apiLogging = opts.enableApiLogging ?? this.resources.configuration?.apiLogging?.enabled ?? false;
    const handler = createApiHandler({
      routes: [
        ...healthRoutes({ appId: this.appId, outboundReady: () => this.outboundReady, pending: () => this.pending() }),
        ...metadataRoutes(() => this.metadata(), this.extended),
        ...publishRoutes({ publisher: this.messaging.publisher, maxBodyBytes: opts.maxBodyBytes }),
        ...stateRoutes({ components: this.components, appId: this.appId, namespace: opts.namespace, maxBodyBytes: opts.maxBodyBytes }),
        ...secretRoutes({ components: this.components, scopes: this.resources.configuration?.secretScopes ?? [] }),
        ...shutdownRoutes(() => this.shutdownListeners.forEach((l) => l())),
      ],
      invoker,
      apiToken: opts.apiToken,
      apiLogger: apiLogging ? this.logger.child({ scope: 'api' }) : undefined,
      limits: this.limits,
    });

    // Peers reach the internal endpoint from other pods in Kubernetes, and from this machine in standalone mode.
    this.internalServer = createLimitedServer(this.limits, (req, res) => {
      invoker.fromPeer(req, res).catch((err: unknown) => sendError(res, err));
    });
    const internalHost = kubernetes ? '0.0.0.0' : '127.0.0.1';
    this.peerPort = await listen(this.internalServer, internalHost, internalPort);

    const httpPort = opts.daprHttpPort ?? DEFAULTS.daprHttpPort;
    for (const address of opts.listenAddresses) {
      const server = createLimitedServer(this.limits, handler);
      const bound = await listen(server, address, this.port || httpPort);
      this.port ||= bound;
      this.servers.push(server);
    }
    if (opts.publicPort !== undefined) {
      // daprd's public port: kubelet probes the pod's address, while the API itself stays on loopback.
      const server = createLimitedServer(this.limits, publicRoutesOnly(handler));
      const bound = await listen(server, '0.0.0.0', opts.publicPort);
      this.servers.push(server);
      this.logger.info(`health and metadata also on 0.0.0.0:${bound} (public port)`);
    }
    this.unregister = await this.resolver.register({ appId: this.appId, namespace: opts.namespace, host: '127.0.0.1', port: this.peerPort });
    this.outboundReady = true;
    this.logStartup();
    this.ready = this.becomeReady();
    this.ready.catch(() => undefined);
  }

  whenReady(): Promise<void> {
    if (!this.ready) return Promise.reject(new Error('sidecar not started'));
    return this.ready;
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async becomeReady(): Promise<void> {
    if (!this.appChannel) return;
    this.logger.info(`waiting for the app on ${this.appChannel.origin}`);
    await this.appChannel.waitUntilReachable(this.stopping.signal);
    if (this.stopping.signal.aborted) throw new Error('sidecar stopped before the app was reachable');
    this.appReachable = true;
    // daprd subscribes (GET /dapr/subscribe and the Subscription files) after the app is reachable, before it is ready.
    await this.messaging?.start(this.stopping.signal);
    if (this.stopping.signal.aborted) throw new Error('sidecar stopped before its subscriptions started');
    this.subscribed = true;
    this.logger.info(`app is reachable on ${this.appChannel.origin}; sidecar ready`);
  }

  private pending(): string[] {
    const pending: string[] = [];
    if (!this.outboundReady) pending.push('outbound');
    if (this.appChannel && !this.appReachable) pending.push('app-channel');
    if (this.appChannel && !this.subscribed) pending.push('subscriptions');
    return pending;
  }

  private metadata(): Record<string, unknown> {
    const channel = this.appChannel;
    const subscriptions = this.messaging?.list() ?? [];
    return {
      id: this.appId,
      runtimeVersion: VERSION,
      enabledFeatures: (this.resources?.configuration?.features ?? []).filter((f) => f.enabled).map((f) => f.name),
      components: this.components?.list() ?? [],
      extended: { daprRuntimeVersion: VERSION, appPID: String(process.pid), ...Object.fromEntries(this.extended) },
      // daprd omits an empty list.
      ...(subscriptions.length > 0 ? { subscriptions } : {}),
      appConnectionProperties: channel ? { port: channel.port, protocol: 'http', channelAddress: channel.address } : {},
    };
  }

  private logStartup(): void {
    for (const c of this.components?.list() ?? []) this.logger.info(`component loaded: ${c.name} (${c.type}/${c.version})`);
    for (const r of this.resources?.resiliencies ?? []) this.logger.info(`resiliency loaded: ${r.name}`);
    for (const s of this.resources?.subscriptions ?? []) this.logger.info(`subscription loaded: ${s.name} (${s.pubsubname}/${s.topic})`);
    const addresses = this.opts.listenAddresses.map((a) => `${a}:${this.port}`).join(', ');
    this.logger.info(`HTTP API listening on ${addresses}; internal endpoint on port ${this.peerPort}; mode ${this.opts.mode}`);
  }

  private async shutdown(): Promise<void> {
    this.logger.info('sidecar shutting down');
    this.outboundReady = false;
    this.stopping.abort();
    // Deliveries in flight may finish within the grace period; the app channel and brokers stay open until then.
    const messagingStopped = this.messaging?.stop(this.opts.gracefulShutdownSeconds * 1000);
    await this.unregister?.().catch(() => undefined);
    const all = [...this.servers, ...(this.internalServer ? [this.internalServer] : [])];
    const closed = Promise.all(all.filter((s) => s.listening).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const s of all) s.closeIdleConnections();
    const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, this.opts.gracefulShutdownSeconds * 1000, 'timeout').unref());
    if ((await Promise.race([closed, grace])) === 'timeout') {
      this.logger.warn('graceful shutdown period ended; closing the remaining connections');
      for (const s of all) s.closeAllConnections();
      await closed;
    }
    await messagingStopped;
    await Promise.allSettled([this.pools.close(), this.appChannel?.close(), this.components?.close()]);
    this.logger.info('sidecar stopped');
  }
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (err) {
    throw new Error(`cannot listen on ${host}:${port}: ${errorMessage(err)}`);
  }
  return (server.address() as AddressInfo).port;
}

const PUBLIC_PATHS = new Set(['/v1.0/healthz', '/v1.0/healthz/outbound', '/v1.0/metadata']);

/** What daprd serves on `--dapr-public-port`: GET health and metadata; anything else is Go's plain 404. */
function publicRoutesOnly(handler: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method === 'GET' && PUBLIC_PATHS.has((req.url ?? '/').split('?')[0]!)) return handler(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
  };
}
