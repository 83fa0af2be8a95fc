import { DaprError } from '../errors';
import { sendNoContent } from './http';
import type { RequestContext, Route } from './route';

export interface HealthState {
  appId: string;
  /** Components loaded and the API listening. */
  outboundReady(): boolean;
  /** Outbound ready, the app port answering and subscriptions started; lists what is still pending otherwise. */
  pending(): string[];
}

/** `/v1.0/healthz` and `/v1.0/healthz/outbound`: the two routes that need no API token. */
export function healthRoutes(health: HealthState): Route[] {
  const healthz = ({ res, query }: RequestContext) => {
    const appId = query.get('appid');
    if (appId && appId !== health.appId) {
      throw new DaprError(500, 'ERR_HEALTH_APPID_NOT_MATCH', 'dapr app-id does not match');
    }
    const pending = health.pending();
    if (pending.length > 0) throw new DaprError(500, 'ERR_HEALTH_NOT_READY', `dapr is not ready: [${pending.join(' ')}]`);
    sendNoContent(res);
  };
  const outbound = ({ res }: RequestContext) => {
    if (!health.outboundReady()) throw new DaprError(500, 'ERR_OUTBOUND_HEALTH_NOT_READY', 'dapr outbound is not ready');
    sendNoContent(res);
  };
  return [
    { methods: ['GET'], path: '/v1.0/healthz', handler: healthz },
    { methods: ['GET'], path: '/v1.0/healthz/outbound', handler: outbound },
  ];
}

export function shutdownRoutes(requestShutdown: () => void): Route[] {
  return [
    {
      methods: ['POST'],
      path: '/v1.0/shutdown',
      handler: ({ res }) => {
        sendNoContent(res);
        res.once('finish', requestShutdown);
      },
    },
  ];
}
