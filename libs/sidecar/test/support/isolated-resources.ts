import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** The Redis database test runs use, so `npm test` leaves the data `npm start -- --services` shows alone. */
export const TEST_REDIS_DB = '9';

/**
 * A copy of a components folder (`components/local`, `components/services`, ...) for a test run of the whole
 * system: the same Components and Subscriptions, but SQLite files in a fresh temporary directory and Redis
 * components on database TEST_REDIS_DB. What the tests create then never shows up in a user's own `npm start`.
 */
export function isolatedResources(componentsDir: string): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'system-resources-'));
  const stateDir = path.join(out, 'state');
  for (const name of readdirSync(componentsDir)) {
    const source = path.join(componentsDir, name);
    if (!/\.ya?ml$/.test(name)) {
      writeFileSync(path.join(out, name), readFileSync(source));
      continue;
    }
    const docs = parseAllDocuments(readFileSync(source, 'utf8')).map((d) => isolate(d.toJS(), stateDir));
    writeFileSync(path.join(out, name), docs.map((d) => stringify(d)).join('---\n'));
  }
  return out;
}

interface MetadataItem {
  name: string;
  value?: unknown;
}

function isolate(doc: { kind?: string; spec?: { type?: string; metadata?: MetadataItem[] } }, stateDir: string) {
  if (doc?.kind !== 'Component' || !doc.spec) return doc;
  const metadata = (doc.spec.metadata ??= []);
  if (doc.spec.type === 'state.sqlite') {
    const conn = metadata.find((m) => m.name === 'connectionString');
    if (conn) conn.value = path.join(stateDir, path.basename(String(conn.value)));
  }
  if (doc.spec.type === 'state.redis' || doc.spec.type === 'pubsub.redis') {
    const db = metadata.find((m) => m.name === 'redisDB');
    if (db) db.value = TEST_REDIS_DB;
    else metadata.push({ name: 'redisDB', value: TEST_REDIS_DB });
  }
  return doc;
}
