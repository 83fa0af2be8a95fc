import { z } from 'zod';
import { ManifestError } from '../problems';
import { isRecord, parseSingleDocument } from '../yaml-docs';

const selector = z
  .object({
    group: z.string().optional(),
    version: z.string().optional(),
    kind: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    labelSelector: z.string().optional(),
    annotationSelector: z.string().optional(),
  })
  .strict();

const schema = z
  .object({
    apiVersion: z.literal('kustomize.config.k8s.io/v1beta1').optional(),
    kind: z.literal('Kustomization').optional(),
    resources: z.array(z.string()).optional(),
    patches: z
      .array(
        z
          .object({ path: z.string().optional(), patch: z.string().optional(), target: selector.optional() })
          .strict()
          .refine((p) => (p.path === undefined) !== (p.patch === undefined), 'needs exactly one of path and patch'),
      )
      .optional(),
    configMapGenerator: z
      .array(
        z
          .object({
            name: z.string().min(1),
            namespace: z.string().optional(),
            behavior: z.literal('create').optional(),
            files: z.array(z.string()).optional(),
            literals: z.array(z.string()).optional(),
            options: z.object({ disableNameSuffixHash: z.boolean().optional() }).strict().optional(),
          })
          .strict(),
      )
      .optional(),
    images: z.array(z.object({ name: z.string().min(1), newName: z.string().optional(), newTag: z.string().optional(), digest: z.string().optional() }).strict()).optional(),
    labels: z
      .array(z.object({ pairs: z.record(z.string(), z.string()), includeSelectors: z.boolean().optional(), includeTemplates: z.boolean().optional() }).strict())
      .optional(),
  })
  .strict();

export type Kustomization = z.output<typeof schema>;
export type PatchEntry = NonNullable<Kustomization['patches']>[number];
export type ConfigMapGeneratorEntry = NonNullable<Kustomization['configMapGenerator']>[number];

/** Fields kustomize v5 deprecated, and what replaces them. */
const DEPRECATED: Record<string, string> = {
  bases: 'resources',
  patchesStrategicMerge: 'patches',
  patchesJson6902: 'patches (with a target)',
  commonLabels: 'labels',
  vars: 'replacements',
  imageTags: 'images',
};

/**
 * Reads a kustomization.yaml. The renderer supports exactly the fields this repository uses; anything else
 * (a deprecated field, or one it would silently ignore) is an error naming the field.
 */
export function parseKustomization(text: string, file: string): Kustomization {
  const doc = parseSingleDocument(text, file);
  if (isRecord(doc)) {
    for (const key of Object.keys(doc)) {
      if (DEPRECATED[key]) throw new ManifestError(file, key, `deprecated since kustomize v5; use ${DEPRECATED[key]}`);
    }
  }
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const at = field ? `${field}.` : '';
    throw new ManifestError(file, `${at}${keys[0]}`, 'is not a field this renderer supports (k8s/ uses resources, patches, configMapGenerator, images and labels)');
  }
  throw new ManifestError(file, field, issue.message);
}
