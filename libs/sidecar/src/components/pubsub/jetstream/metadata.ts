import { AckPolicy, DeliverPolicy } from 'nats';
import { ComponentConfigError } from '../../../errors';
import { parseDuration } from '../../../duration';
import type { ComponentContext } from '../../registry';
import { consumerIdOf } from '../pubsub';

/** `pubsub.jetstream` metadata, parsed once at init with daprd's names, defaults and checks. */
export interface JetStreamMetadata {
  natsURL: string;
  /** The connection name the server shows; daprd's default. */
  name: string;
  token?: string;
  jwt?: string;
  seedKey?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
  streamName?: string;
  /** The base of each topic's durable consumer name: `durableName`, else `queueGroupName`, else the consumer ID. */
  consumerName: string;
  deliverPolicy: DeliverPolicy;
  startSequence?: number;
  startTime?: Date;
  ackPolicy: AckPolicy;
  ackWaitMs?: number;
  maxDeliver?: number;
  backOffMs: number[];
  maxAckPending?: number;
  replicas?: number;
  memoryStorage: boolean;
  heartbeatMs?: number;
  domain?: string;
  apiPrefix?: string;
  concurrencyMode: 'single' | 'parallel';
}

const DELIVER_POLICIES: Record<string, DeliverPolicy> = {
  all: DeliverPolicy.All,
  last: DeliverPolicy.Last,
  new: DeliverPolicy.New,
  sequence: DeliverPolicy.StartSequence,
  time: DeliverPolicy.StartTime,
};

export function parseJetStreamMetadata(ctx: ComponentContext): JetStreamMetadata {
  const md = ctx.metadata;
  const fail = (detail: string): never => {
    throw new ComponentConfigError(ctx.name, detail);
  };
  const natsURL = md.required('natsURL');
  const jwt = md.string('jwt');
  const seedKey = md.string('seedKey');
  if (jwt && !seedKey) fail('jwt needs seedKey');
  if (seedKey && !jwt) fail('seedKey needs jwt');
  const tlsClientCert = md.string('tls_client_cert');
  const tlsClientKey = md.string('tls_client_key');
  if (tlsClientCert && !tlsClientKey) fail('tls_client_cert needs tls_client_key');
  if (tlsClientKey && !tlsClientCert) fail('tls_client_key needs tls_client_cert');

  const startSequence = md.has('startSequence') ? md.int('startSequence', 0, { min: 1 }) : undefined;
  const startTime = md.has('startTime') ? new Date(md.int('startTime', 0, { min: 0 }) * 1000) : undefined;
  const policyName = md.enumOf('deliverPolicy', ['all', 'last', 'new', 'sequence', 'time'] as const, startSequence ? 'sequence' : startTime ? 'time' : 'all');
  if (policyName === 'sequence' && startSequence === undefined) fail('deliverPolicy sequence needs startSequence');
  if (policyName === 'time' && startTime === undefined) fail('deliverPolicy time needs startTime (unix seconds)');

  const backOffMs = (md.string('backOff') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return parseDuration(s);
      } catch {
        return fail(`backOff must be a comma-separated list of durations such as "50ms, 1s, 5s", got '${md.string('backOff')}'`);
      }
    });
  const maxDeliver = md.has('maxDeliver') ? md.int('maxDeliver', -1, { min: -1 }) : undefined;
  // The server refuses a consumer whose backoff list is not shorter than its delivery limit.
  if (backOffMs.length > 0 && maxDeliver !== undefined && maxDeliver !== -1 && maxDeliver <= backOffMs.length) {
    fail(`maxDeliver must be greater than the number of backOff durations (${backOffMs.length}), got ${maxDeliver}`);
  }

  // daprd binds push consumers; ours are pull consumers, to which these push-only settings do not apply.
  const pushOnly = ['rateLimit', 'flowControl'].filter((name) => md.has(name));
  if (pushOnly.length > 0) ctx.logger.warn(`pubsub.jetstream ${ctx.name}: ${pushOnly.join(', ')} only apply to push consumers; ignored (this sidecar uses pull consumers)`);

  return {
    natsURL,
    name: md.string('name', 'dapr.io - pubsub.jetstream')!,
    token: md.string('token'),
    jwt,
    seedKey,
    tlsClientCert,
    tlsClientKey,
    streamName: md.string('streamName'),
    consumerName: md.string('durableName') ?? md.string('queueGroupName') ?? consumerIdOf(ctx),
    deliverPolicy: DELIVER_POLICIES[policyName]!,
    startSequence: policyName === 'sequence' ? startSequence : undefined,
    startTime: policyName === 'time' ? startTime : undefined,
    // daprd falls back to explicit for an unknown ack policy.
    ackPolicy: ({ all: AckPolicy.All, none: AckPolicy.None } as Record<string, AckPolicy>)[md.string('ackPolicy', '')!.toLowerCase()] ?? AckPolicy.Explicit,
    ackWaitMs: md.has('ackWait') ? md.durationMs('ackWait', 0) : undefined,
    maxDeliver,
    backOffMs,
    maxAckPending: md.has('maxAckPending') ? md.int('maxAckPending', 0, { min: -1 }) : undefined,
    replicas: md.has('replicas') ? md.int('replicas', 0, { min: 0, max: 5 }) : undefined,
    memoryStorage: md.bool('memoryStorage', false),
    heartbeatMs: md.has('heartbeat') ? md.durationMs('heartbeat', 0) : undefined,
    domain: md.string('domain'),
    apiPrefix: md.string('apiPrefix'),
    // daprd's jetstream handles one message at a time unless told otherwise.
    concurrencyMode: md.enumOf('concurrencyMode', ['single', 'parallel'] as const, 'single'),
  };
}
