import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { fillEndpoints, type EksEndpoints, type KubeObject } from './kube-objects';

export interface WorkloadsArgs {
  /** The kustomization to apply: k8s/overlays/eks. */
  directory: string;
  namespace: string;
  endpoints: EksEndpoints;
}

/** The invoke must run on the plugin version this SDK drives, like the SDK's own invokes. */
const KUBERNETES_PLUGIN_VERSION: string = require('@pulumi/kubernetes/package.json').version;

/**
 * k8s/overlays/eks, rendered by the Kubernetes provider's own kustomize and applied with the real endpoints filled
 * in (`fillEndpoints`), so what runs on EKS is the overlay a reviewer reads, not a second copy of it.
 *
 * The rendering goes through the default Kubernetes provider, which needs no cluster: asked of the EKS provider,
 * whose kubeconfig is unknown until the cluster exists, the first `pulumi preview` would fail
 * (pulumi/pulumi-kubernetes#2346). Only the objects themselves are applied with the EKS provider.
 */
export class Workloads extends pulumi.ComponentResource {
  readonly objects: pulumi.Output<k8s.yaml.ConfigGroup>;
  /** The front load balancer's DNS name, once AWS has provisioned it (`pulumi refresh` picks it up). */
  readonly frontAddress: pulumi.Output<string | undefined>;

  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('template:k8s:Workloads', name, {}, opts);
    const rendered: Promise<{ result: KubeObject[] }> = pulumi.runtime.invoke(
      'kubernetes:kustomize:directory',
      { directory: args.directory },
      { async: true, version: KUBERNETES_PLUGIN_VERSION },
    );
    this.objects = pulumi.output(rendered).apply(
      ({ result }) =>
        new k8s.yaml.ConfigGroup(name, {
          objs: result,
          transformations: [(o: KubeObject) => fillEndpoints(o, args.endpoints)],
        }, { parent: this }),
    );
    this.frontAddress = this.objects
      .apply((group) => group.getResourceProperty('v1/Service', args.namespace, 'front', 'status'))
      .apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname ?? status?.loadBalancer?.ingress?.[0]?.ip);
    this.registerOutputs({ frontAddress: this.frontAddress });
  }
}
