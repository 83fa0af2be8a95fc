export type SidecarMode = 'standalone' | 'kubernetes';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a sidecar needs; the CLI maps daprd's flags onto it and `createSidecar` fills in the defaults. */
export interface SidecarOptions {
  appId: string;
  /** No port means no app channel: no invocations to the app and no subscriptions, as in daprd. */
  appPort?: number;
  appProtocol?: 'http';
  appChannelAddress?: string;
  /** The API port; 0 picks a free one (see `Sidecar.httpPort`). */
  daprHttpPort?: number;
  /** Where peer sidecars reach this one; 0 (standalone default) picks a free port, Kubernetes uses 50002. */
  daprInternalPort?: number;
  listenAddresses?: string[];
  /** daprd's `--dapr-public-port`: health and metadata only, on every address, for kubelet's probes. */
  publicPort?: number;
  resourcesPaths?: string[];
  configPath?: string;
  mode?: SidecarMode;
  namespace?: string;
  apiToken?: string;
  appApiToken?: string;
  logLevel?: LogLevel;
  logAsJson?: boolean;
  enableApiLogging?: boolean;
  maxBodyBytes?: number;
  /** daprd's `--read-buffer-size`; the header limit is this plus Go's 4 KiB allowance. */
  readBufferBytes?: number;
  gracefulShutdownSeconds?: number;
  /** Standalone name resolution's directory (default: `$SIDECAR_REGISTRY_DIR` or `<tmp>/dapr-sidecar-registry`). */
  registryDir?: string;
}

export const DEFAULTS = {
  daprHttpPort: 3500,
  kubernetesInternalPort: 50002,
  appChannelAddress: '127.0.0.1',
  listenAddresses: ['127.0.0.1'],
  maxBodyBytes: 4 * 1024 * 1024,
  readBufferBytes: 4 * 1024,
  gracefulShutdownSeconds: 5,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
} as const;
