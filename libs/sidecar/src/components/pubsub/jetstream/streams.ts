import { NatsError, StorageType, type JetStreamManager } from 'nats';
import type { Logger } from 'pino';
import { jetStreamName } from './names';

const STREAM_NAME_IN_USE = 10058;

/**
 * Which stream holds each topic. daprd's component expects the stream to exist (`nats stream add` first) and
 * fails without it; we create it when no stream covers the topic, so a fresh NATS just works:
 * - with `streamName`: that stream, created with the topic as its subject or extended with it;
 * - without: any stream whose subjects match the topic, else a new stream named after the topic.
 * The answer is cached per topic; `forget` drops it when a publish finds the stream gone.
 */
export class StreamDirectory {
  private readonly known = new Map<string, Promise<string>>();

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly streamName: string | undefined,
    private readonly logger: Logger,
  ) {}

  streamFor(topic: string): Promise<string> {
    let found = this.known.get(topic);
    if (!found) {
      found = this.ensure(topic);
      this.known.set(topic, found);
      found.catch(() => this.known.delete(topic));
    }
    return found;
  }

  forget(topic: string): void {
    this.known.delete(topic);
  }

  private async ensure(topic: string, attempt = 0): Promise<string> {
    const existing = await this.findBySubject(topic);
    if (existing) {
      if (this.streamName && existing !== this.streamName) {
        this.logger.warn({ stream: existing, streamName: this.streamName, topic }, 'the topic lives in another stream than streamName; using that stream');
      }
      return existing;
    }
    const name = this.streamName ?? jetStreamName(topic);
    try {
      const info = await this.jsm.streams.info(name).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
      if (info) {
        await this.jsm.streams.update(name, { ...info.config, subjects: [...info.config.subjects, topic] });
        this.logger.info({ stream: name, topic }, 'added the topic to the JetStream stream');
      } else {
        await this.jsm.streams.add({ name, subjects: [topic], storage: StorageType.File });
        this.logger.info({ stream: name, topic }, 'created the JetStream stream (daprd expects it to exist)');
      }
      return name;
    } catch (err) {
      // Another replica created it a moment ago: look again once.
      if (attempt === 0 && err instanceof NatsError && err.api_error?.err_code === STREAM_NAME_IN_USE) return this.ensure(topic, 1);
      throw err;
    }
  }

  private async findBySubject(topic: string): Promise<string | undefined> {
    try {
      return await this.jsm.streams.find(topic);
    } catch (err) {
      if (err instanceof Error && err.message === 'no stream matches subject') return undefined;
      throw err;
    }
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof NatsError && (err.api_error?.code === 404 || err.code === '404');
}
