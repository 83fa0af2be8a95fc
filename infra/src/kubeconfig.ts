/**
 * A kubeconfig for an EKS cluster that authenticates with `aws eks get-token`, i.e. with the caller's own AWS
 * credentials, the same way `aws eks update-kubeconfig` writes it. JSON is valid YAML, and kubectl reads it.
 */
export function kubeconfigFor(args: { clusterName: string; endpoint: string; caData: string; region: string }): string {
  const name = args.clusterName;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: args.endpoint, 'certificate-authority-data': args.caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', name, '--region', args.region, '--output', 'json'],
            interactiveMode: 'Never',
          },
        },
      },
    ],
  });
}
