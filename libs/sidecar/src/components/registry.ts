import type { Logger } from 'pino';
import type { ComponentMetadata } from './metadata';
import type { PubSub } from './pubsub/pubsub';
import type { SecretStore } from './secretstores/secret-store';
import type { StateStore } from './state/state-store';

export type BuildingBlock = 'state' | 'pubsub' | 'secretstores';

export interface ComponentContext {
  /** The component's name (`metadata.name`), which the API uses. */
  name: string;
  metadata: ComponentMetadata;
  appId: string;
  namespace?: string;
  logger: Logger;
}

interface BlockTypes {
  state: StateStore;
  pubsub: PubSub;
  secretstores: SecretStore;
}

type Factory<B extends BuildingBlock> = (ctx: ComponentContext) => BlockTypes[B] | Promise<BlockTypes[B]>;

interface Registration<B extends BuildingBlock> {
  block: B;
  /** Imports the implementation on first use, so a run that does not configure a type never loads its SDK. */
  load: () => Promise<Factory<B>>;
}

function register<B extends BuildingBlock>(block: B, load: () => Promise<Factory<B>>): Registration<B> {
  return { block, load };
}

const REGISTRY: Record<string, Registration<BuildingBlock>> = {
  'state.in-memory': register('state', async () => (await import('./state/in-memory')).createInMemoryStateStore),
  'state.sqlite': register('state', async () => (await import('./state/sqlite')).createSqliteStateStore),
  'pubsub.in-memory': register('pubsub', async () => (await import('./pubsub/in-memory')).createInMemoryPubSub),
  'state.redis': register('state', async () => (await import('./state/redis')).createRedisStateStore),
  'pubsub.redis': register('pubsub', async () => (await import('./pubsub/redis')).createRedisStreamsPubSub),
  'secretstores.kubernetes': register('secretstores', async () => (await import('./secretstores/kubernetes')).createKubernetesSecretStore),
  'secretstores.local.file': register('secretstores', async () => (await import('./secretstores/local-file')).createLocalFileSecretStore),
  'secretstores.local.env': register('secretstores', async () => (await import('./secretstores/local-env')).createLocalEnvSecretStore),
  'pubsub.jetstream': register('pubsub', async () => (await import('./pubsub/jetstream')).createJetStreamPubSub),
  'pubsub.aws.snssqs': register('pubsub', async () => (await import('./pubsub/snssqs')).createSnsSqsPubSub),
  'pubsub.snssqs': register('pubsub', async () => (await import('./pubsub/snssqs')).createSnsSqsPubSub),
};

/** Types daprd once had and dropped: a clear pointer beats "unknown type". */
const REMOVED: Record<string, string> = {
  'pubsub.natsstreaming': 'pubsub.natsstreaming was removed in Dapr 1.13; use pubsub.jetstream instead',
};

export function supportedTypes(): string[] {
  return Object.keys(REGISTRY).sort();
}

export function buildingBlockOf(type: string): BuildingBlock | undefined {
  return REGISTRY[type]?.block;
}

/** Adds a type at run time (used by later building blocks and by tests of the registry itself). */
export function registerComponentType<B extends BuildingBlock>(type: string, block: B, load: () => Promise<Factory<B>>): void {
  REGISTRY[type] = register(block, load) as unknown as Registration<BuildingBlock>;
}

/** Why a type cannot be loaded, or undefined when it can. */
export function unsupportedTypeReason(type: string, version: string): string | undefined {
  if (REMOVED[type]) return REMOVED[type];
  if (!REGISTRY[type]) return `unknown component type ${type}; supported types: ${supportedTypes().join(', ')}`;
  if (version !== 'v1') return `${type} has no version ${version}; supported: v1`;
  return undefined;
}

export async function createComponent(type: string, ctx: ComponentContext): Promise<BlockTypes[BuildingBlock]> {
  const registration = REGISTRY[type];
  if (!registration) throw new Error(unsupportedTypeReason(type, 'v1'));
  const factory = await registration.load();
  return factory(ctx);
}
