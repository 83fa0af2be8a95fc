import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

export interface SchemaIssue {
  /** Dotted path of the offending value, e.g. `build.artifacts[0].docker`. */
  field: string;
  message: string;
}

export type SchemaValidator = (value: unknown) => SchemaIssue[];

/** Schemas vendored under tools/manifests/schemas (see its README for their origin). */
export const SCHEMA_DIR = path.resolve(__dirname, '../../schemas');

const cache = new Map<string, SchemaValidator>();

/**
 * A draft-07 validator for a vendored schema file. Works with the ajv the workspace hoists (6.x) and with ajv 8:
 * unknown keywords are allowed and the OpenAPI integer formats are accepted as they are.
 */
export function schemaValidator(file: string): SchemaValidator {
  const cached = cache.get(file);
  if (cached) return cached;
  const ajv = new Ajv({ allErrors: true, ...({ strict: false } as object) });
  for (const format of ['int', 'int32', 'int64', 'uint32', 'uint64', 'byte', 'double', 'float']) ajv.addFormat(format, () => true);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object);
  const validator: SchemaValidator = (value) => {
    if (validate(value)) return [];
    return mostSpecific((validate.errors ?? []) as unknown as AjvError[]);
  };
  cache.set(file, validator);
  return validator;
}

interface AjvError {
  keyword: string;
  instancePath?: string;
  dataPath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * With `anyOf` (Skaffold's artifact types) every branch reports its own complaint; the deepest ones are the ones a
 * person can act on.
 */
function mostSpecific(errors: AjvError[]): SchemaIssue[] {
  const issues = errors
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
    .map((e) => {
      const at = e.instancePath !== undefined ? pointerToField(e.instancePath) : (e.dataPath ?? '').replace(/^\./, '');
      const extra = e.params?.['additionalProperty'];
      return { field: typeof extra === 'string' ? (at ? `${at}.${extra}` : extra) : at, message: typeof extra === 'string' ? 'is not allowed here' : (e.message ?? 'is invalid') };
    });
  const depth = (field: string) => field.split(/[.[]/).length;
  const deepest = Math.max(0, ...issues.map((i) => depth(i.field)));
  const seen = new Set<string>();
  return issues
    .filter((i) => depth(i.field) === deepest)
    .filter((i) => !seen.has(`${i.field}|${i.message}`) && seen.add(`${i.field}|${i.message}`));
}

function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? `[${t}]` : `.${t.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
    .replace(/^\./, '');
}
