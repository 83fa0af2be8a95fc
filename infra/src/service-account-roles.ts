import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { appMessagingPolicy, serviceAccountTrust } from './iam-policies';
import type { Messaging } from './messaging';
import type { MessagingPlan } from './messaging-plan';

export interface ServiceAccountRolesArgs {
  /** App id → its Kubernetes service account (same namespace for all). */
  serviceAccounts: Record<string, string>;
  namespace: string;
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuer: pulumi.Input<string>;
  plan: MessagingPlan;
  messaging: Messaging;
}

/**
 * One IAM role per app, assumable only by that app's service account (IRSA), allowed exactly its own queue, the
 * topics feeding it and the topics it publishes. nautible grants its apps' rights to the node role; here a
 * compromised pod gets its own app's rights and nothing else.
 */
export class ServiceAccountRoles extends pulumi.ComponentResource {
  /** By app id. */
  readonly roles: Record<string, aws.iam.Role> = {};

  constructor(name: string, args: ServiceAccountRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('template:aws:ServiceAccountRoles', name, {}, opts);
    const parent = { parent: this };
    const topicArn = (topic: string) => args.messaging.topics[topic]!.arn;

    for (const [appId, serviceAccount] of Object.entries(args.serviceAccounts)) {
      const role = new aws.iam.Role(`irsa-${appId}`, {
        description: `IRSA role of ${args.namespace}/${serviceAccount}`,
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcIssuer])
          .apply(([oidcProviderArn, issuerUrl]) =>
            JSON.stringify(serviceAccountTrust({ oidcProviderArn, issuerUrl, namespace: args.namespace, serviceAccount })),
          ),
        tags: { 'app-id': appId },
      }, parent);
      this.roles[appId] = role;

      const queue = args.plan.queues.find((q) => q.appId === appId);
      const subscribed = (queue?.topics ?? []).map(topicArn);
      const published = (args.plan.publishes[appId] ?? []).map(topicArn);
      if (!queue && published.length === 0) continue;
      new aws.iam.RolePolicy(`irsa-${appId}`, {
        role: role.id,
        policy: pulumi
          .all([args.messaging.queues[appId]?.arn, pulumi.all(subscribed), pulumi.all(published)])
          .apply(([queueArn, subscribedTopicArns, publishTopicArns]) =>
            JSON.stringify(appMessagingPolicy({ queueArn, subscribedTopicArns, publishTopicArns })),
          ),
      }, parent);
    }
    this.registerOutputs({});
  }
}
