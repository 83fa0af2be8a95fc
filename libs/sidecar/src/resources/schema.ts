import { z } from 'zod';
import { parseDuration } from '../duration';

/**
 * The shapes of Dapr's resource kinds as daprd accepts them. Each schema checks only what daprd would refuse
 * or what we need to act on; unknown extra fields are ignored, as Kubernetes CRDs with preserved fields do.
 */

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const name = z.string().min(1, 'must not be empty');
const duration = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    try {
      return typeof v === 'number' ? v * 1000 : parseDuration(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `'${v}' is not a duration such as 5s or 500ms` });
      return z.NEVER;
    }
  });

const objectMeta = z.object({ name, namespace: z.string().optional() });
const scopes = z.array(z.string()).optional().default([]);

const metadataItem = z
  .object({
    name,
    value: scalar.nullable().optional(),
    secretKeyRef: z.object({ name, key: z.string().optional() }).optional(),
    envRef: z.string().min(1).optional(),
  })
  .superRefine((item, ctx) => {
    if (item.envRef && /^(DAPR_|APP_API_TOKEN$)/.test(item.envRef)) {
      ctx.addIssue({ code: 'custom', path: ['envRef'], message: `may not read ${item.envRef} (DAPR_* and APP_API_TOKEN are reserved)` });
    }
  });

export const componentSchema = z.object({
  apiVersion: z.literal('dapr.io/v1alpha1'),
  kind: z.literal('Component'),
  metadata: objectMeta,
  spec: z.object({
    type: z.string().regex(/^[a-z0-9]+\.[a-z0-9.\-_]+$/i, 'must look like <building block>.<name>, e.g. state.redis'),
    version: z.string().min(1, 'is required (e.g. v1)'),
    initTimeout: duration.optional(),
    ignoreErrors: z.boolean().optional(),
    metadata: z.array(metadataItem).nullable().optional(),
  }),
  auth: z.object({ secretStore: z.string().min(1) }).optional(),
  scopes,
});

const ruleSchema = z.object({ match: z.string().optional(), path: z.string().min(1, 'is required') });
const bulkSubscribeSchema = z.object({
  enabled: z.boolean(),
  maxMessagesCount: z.number().int().positive().optional(),
  maxAwaitDurationMs: z.number().int().nonnegative().optional(),
});

export const subscriptionV1Schema = z.object({
  apiVersion: z.literal('dapr.io/v1alpha1'),
  kind: z.literal('Subscription'),
  metadata: objectMeta,
  spec: z.object({
    pubsubname: name,
    topic: name,
    route: z.string().min(1, 'is required'),
    metadata: z.record(z.string(), scalar).optional(),
    deadLetterTopic: z.string().optional(),
    bulkSubscribe: bulkSubscribeSchema.optional(),
  }),
  scopes,
});

export const subscriptionV2Schema = z.object({
  apiVersion: z.literal('dapr.io/v2alpha1'),
  kind: z.literal('Subscription'),
  metadata: objectMeta,
  spec: z.object({
    pubsubname: name,
    topic: name,
    routes: z.object({ rules: z.array(ruleSchema).optional(), default: z.string().optional() }),
    metadata: z.record(z.string(), scalar).optional(),
    deadLetterTopic: z.string().optional(),
    bulkSubscribe: bulkSubscribeSchema.optional(),
  }),
  scopes,
});

export const configurationSchema = z.object({
  apiVersion: z.literal('dapr.io/v1alpha1'),
  kind: z.literal('Configuration'),
  metadata: objectMeta,
  spec: z
    .object({
      tracing: z.object({ samplingRate: scalar.optional() }).passthrough().optional(),
      features: z.array(z.object({ name, enabled: z.boolean() })).optional(),
      logging: z
        .object({ apiLogging: z.object({ enabled: z.boolean().optional(), omitHealthChecks: z.boolean().optional() }).optional() })
        .optional(),
      secrets: z
        .object({
          scopes: z.array(
            z.object({
              storeName: name,
              // daprd compares it case-insensitively.
              defaultAccess: z
                .string()
                .transform((v) => v.toLowerCase())
                .pipe(z.enum(['allow', 'deny']))
                .optional(),
              allowedSecrets: z.array(z.string()).optional(),
              deniedSecrets: z.array(z.string()).optional(),
            }),
          ),
        })
        .optional(),
    })
    .passthrough()
    .optional()
    .default({}),
});

const retrySchema = z.object({
  policy: z.enum(['constant', 'exponential']).optional(),
  duration: duration.optional(),
  maxInterval: duration.optional(),
  maxRetries: z.number().int().min(-1).optional(),
  matching: z.object({ httpStatusCodes: z.string().optional(), gRPCStatusCodes: z.string().optional() }).optional(),
});
const circuitBreakerSchema = z.object({
  maxRequests: z.number().int().nonnegative().optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  trip: z.string().optional(),
});
const targetSchema = z.object({
  timeout: z.string().optional(),
  retry: z.string().optional(),
  circuitBreaker: z.string().optional(),
});

export const resiliencySchema = z.object({
  apiVersion: z.literal('dapr.io/v1alpha1'),
  kind: z.literal('Resiliency'),
  metadata: objectMeta,
  spec: z.object({
    policies: z
      .object({
        timeouts: z.record(z.string(), duration).optional(),
        retries: z.record(z.string(), retrySchema).optional(),
        circuitBreakers: z.record(z.string(), circuitBreakerSchema).optional(),
      })
      .optional()
      .default({}),
    targets: z
      .object({
        apps: z.record(z.string(), targetSchema).optional(),
        actors: z.record(z.string(), targetSchema.passthrough()).optional(),
        components: z
          .record(z.string(), z.object({ inbound: targetSchema.optional(), outbound: targetSchema.optional() }))
          .optional(),
      })
      .optional()
      .default({}),
  }),
  scopes,
});

/** Formats a zod issue path the way a reader finds it in YAML: `spec.metadata[2].name`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}
