import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/**
 * An ECR repository per image, named as k8s/overlays/eks names the image, so `skaffold --default-repo` and the
 * overlay agree on where each image lives. `forceDelete` lets `pulumi destroy` remove repositories holding images.
 */
export class Registry extends pulumi.ComponentResource {
  /** By image name: the repository's name (known now) and URL (once created). */
  readonly repositories: Record<string, { name: string; url: pulumi.Output<string> }> = {};
  /** `<account>.dkr.ecr.<region>.amazonaws.com`. */
  readonly registry: pulumi.Output<string>;
  /** Where `skaffold --default-repo` must push so each image lands in its repository: the registry and the common path. */
  readonly defaultRepo: pulumi.Output<string>;

  constructor(name: string, args: { repositories: Record<string, string> }, opts?: pulumi.ComponentResourceOptions) {
    super('template:aws:Registry', name, {}, opts);
    for (const [image, repositoryName] of Object.entries(args.repositories)) {
      const repository = new aws.ecr.Repository(image, {
        name: repositoryName,
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        forceDelete: true,
      }, { parent: this });
      this.repositories[image] = { name: repositoryName, url: repository.repositoryUrl };
    }
    const first = Object.values(this.repositories)[0];
    if (!first) throw new Error('no images to make ECR repositories for');
    this.registry = first.url.apply((url) => url.split('/')[0]!);
    // skaffold --default-repo <registry>/<folder> pushes image X to <folder>/X: one folder, last segment the image.
    const folders = new Set(Object.values(args.repositories).map((repo) => repo.slice(0, Math.max(0, repo.lastIndexOf('/')))));
    const misnamed = Object.entries(args.repositories).filter(([image, repo]) => repo.split('/').pop() !== image);
    if (folders.size !== 1 || misnamed.length > 0) throw new Error('ECR repositories must be named <folder>/<image>, with one folder for all images');
    const [folder] = folders;
    this.defaultRepo = this.registry.apply((registry) => (folder ? `${registry}/${folder}` : registry));
    this.registerOutputs({ registry: this.registry, defaultRepo: this.defaultRepo });
  }
}
