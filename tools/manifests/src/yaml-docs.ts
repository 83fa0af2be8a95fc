import { parseAllDocuments } from 'yaml';
import { ManifestError } from './problems';

export interface YamlDocument {
  value: unknown;
  file: string;
  /** 1-based position in a multi-document file. */
  document: number;
}

/** Every non-empty document of a YAML file, or a ManifestError naming the file and document. */
export function parseDocuments(text: string, file: string): YamlDocument[] {
  const out: YamlDocument[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new ManifestError(file, `document ${i + 1}`, `invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    }
    // toJSON() rather than toJS(): the same call on the yaml 1.x the workspace hoists and on yaml 2.
    const value: unknown = doc.toJSON();
    if (value !== null && value !== undefined) out.push({ value, file, document: i + 1 });
  });
  return out;
}

export function parseSingleDocument(text: string, file: string): unknown {
  const docs = parseDocuments(text, file);
  if (docs.length !== 1) throw new ManifestError(file, '', `expected one YAML document, found ${docs.length}`);
  return docs[0]!.value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
