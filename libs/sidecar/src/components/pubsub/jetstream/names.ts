import { createHash } from 'node:crypto';

/**
 * A topic is published to the NATS subject of the same name, so it must be a literal subject: dot-separated
 * tokens, no whitespace and no wildcards (`*`, `>`), which would make a subscription match other topics.
 */
export function checkTopicSubject(topic: string): void {
  const problem = /\s/.test(topic)
    ? 'contains whitespace'
    : /[*>]/.test(topic)
      ? 'contains a wildcard (* or >)'
      : topic.split('.').some((token) => token === '')
        ? 'has an empty token (leading, trailing or double dot)'
        : undefined;
  if (problem) throw new Error(`topic '${topic}' is not a valid NATS subject for pubsub.jetstream: it ${problem}`);
}

/**
 * Stream and consumer names may not hold `.`, `*`, `>`, path separators or whitespace. Unsafe characters become
 * `_`, and a short hash of the original keeps `a.b` and `a_b` apart.
 */
export function jetStreamName(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === text) return safe;
  return `${safe}_${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/** One durable consumer per consumer name and topic, since a consumer filters on one subject. */
export function durableNameFor(consumerName: string, topic: string): string {
  return jetStreamName(`${consumerName}-${topic}`);
}
