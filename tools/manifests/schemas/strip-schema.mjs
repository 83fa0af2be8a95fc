// Writes a JSON Schema without its documentation keywords (descriptions, examples, editor hints): the same
// validation, a fraction of the size. Usage: node strip-schema.mjs <upstream.json> <out.json>
import { readFileSync, writeFileSync } from 'node:fs';

const DOCS = new Set(['description', 'x-intellij-html-description', 'markdownDescription', 'examples', 'preferredOrder', 'x-intellij-enum-metadata', 'enumDescriptions']);
const strip = (v) =>
  Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !DOCS.has(k)).map(([k, x]) => [k, strip(x)])) : v;

const [from, to] = process.argv.slice(2);
writeFileSync(to, `${JSON.stringify(strip(JSON.parse(readFileSync(from, 'utf8'))))}\n`);
