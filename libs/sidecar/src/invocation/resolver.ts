/** Finds where a peer sidecar's internal endpoint listens, by app id and namespace. */
export interface NameResolver {
  /** An origin such as `http://127.0.0.1:41234`, or undefined when no sidecar of that app id is known. */
  resolve(appId: string, namespace: string | undefined): Promise<string | undefined>;
  /** Announces this sidecar; the returned function withdraws it. */
  register(entry: { appId: string; namespace?: string; host: string; port: number }): Promise<() => Promise<void>>;
  /** Forgets a cached answer after a connection to it failed. */
  invalidate?(appId: string, namespace: string | undefined): void;
}

/** `--mode kubernetes`: the `{app-id}-dapr` Service in the namespace, on the internal port. */
export class KubernetesDnsResolver implements NameResolver {
  constructor(
    private readonly internalPort: number,
    private readonly clusterDomain = 'cluster.local',
  ) {}

  async resolve(appId: string, namespace: string | undefined): Promise<string> {
    return `http://${appId}-dapr.${namespace ?? 'default'}.svc.${this.clusterDomain}:${this.internalPort}`;
  }

  async register(): Promise<() => Promise<void>> {
    return async () => undefined; // the Service and its endpoints are Kubernetes' job
  }
}
