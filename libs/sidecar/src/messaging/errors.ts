import { DaprError, errorInfo } from '../errors';

/** daprd's pub/sub "kit" errors: the legacy code, plus ErrorInfo (reason DAPR_PUBSUB_*) and ResourceInfo. */
export function pubsubError(status: number, errorCode: string, reason: string, message: string, pubsub: string, appId: string): DaprError {
  return new DaprError(status, errorCode, message, [
    errorInfo(`DAPR_PUBSUB_${reason}`, appId),
    { '@type': 'type.googleapis.com/google.rpc.ResourceInfo', resource_type: 'pubsub', resource_name: pubsub, owner: '', description: message },
  ]);
}

export function pubsubNotFound(pubsub: string, appId: string): DaprError {
  // Not-found errors carry only the ErrorInfo entry.
  return new DaprError(404, 'ERR_PUBSUB_NOT_FOUND', `pubsub ${pubsub} is not found`, [errorInfo('DAPR_PUBSUB_NOT_FOUND', appId)]);
}

export function topicForbidden(pubsub: string, topic: string, appId: string): DaprError {
  return pubsubError(403, 'ERR_PUBSUB_FORBIDDEN', 'FORBIDDEN', `topic ${topic} is not allowed for app id ${appId}`, pubsub, appId);
}

export function publishFailed(pubsub: string, topic: string, cause: string, appId: string): DaprError {
  return pubsubError(500, 'ERR_PUBSUB_PUBLISH_MESSAGE', 'PUBLISH_MESSAGE', `error when publishing to topic ${topic} in pubsub ${pubsub}: ${cause}`, pubsub, appId);
}
