import { isRecord } from '../yaml-docs';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6902 JSON Patch on a copy of the document; throws naming the operation that cannot apply. */
export function applyJsonPatch<T>(document: T, operations: JsonPatchOperation[]): T {
  let doc: unknown = structuredClone(document);
  operations.forEach((op, i) => {
    const fail = (detail: string) => new Error(`operation ${i} (${op.op} ${op.path}): ${detail}`);
    switch (op.op) {
      case 'add':
        doc = add(doc, pointer(op.path, fail), structuredClone(op.value), fail);
        break;
      case 'remove':
        doc = remove(doc, pointer(op.path, fail), fail).doc;
        break;
      case 'replace':
        doc = replace(doc, pointer(op.path, fail), structuredClone(op.value), fail);
        break;
      case 'move': {
        const taken = remove(doc, pointer(required(op.from, fail), fail), fail);
        doc = add(taken.doc, pointer(op.path, fail), taken.value, fail);
        break;
      }
      case 'copy':
        doc = add(doc, pointer(op.path, fail), structuredClone(get(doc, pointer(required(op.from, fail), fail), fail)), fail);
        break;
      case 'test':
        if (JSON.stringify(get(doc, pointer(op.path, fail), fail)) !== JSON.stringify(op.value)) throw fail('value differs');
        break;
      default:
        throw fail(`unknown op '${String((op as { op: unknown }).op)}'`);
    }
  });
  return doc as T;
}

type Fail = (detail: string) => Error;

function required(from: string | undefined, fail: Fail): string {
  if (from === undefined) throw fail('needs from');
  return from;
}

function pointer(path: string, fail: Fail): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw fail('a path must start with /');
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, tokens: string[], fail: Fail): unknown {
  let node = doc;
  for (const t of tokens) {
    if (Array.isArray(node) && /^\d+$/.test(t) && Number(t) < node.length) node = node[Number(t)];
    else if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, t)) node = node[t];
    else throw fail(`no value at /${tokens.join('/')}`);
  }
  return node;
}

function add(doc: unknown, tokens: string[], value: unknown, fail: Fail): unknown {
  if (tokens.length === 0) return value;
  const parent = get(doc, tokens.slice(0, -1), fail);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const at = last === '-' ? parent.length : Number(last);
    if (!/^\d+$/.test(last) && last !== '-') throw fail(`'${last}' is not an array index`);
    if (at > parent.length) throw fail(`index ${at} is past the end of the array`);
    parent.splice(at, 0, value);
  } else if (isRecord(parent)) {
    parent[last] = value;
  } else {
    throw fail(`the parent of /${tokens.join('/')} is not an object or array`);
  }
  return doc;
}

function replace(doc: unknown, tokens: string[], value: unknown, fail: Fail): unknown {
  get(doc, tokens, fail);
  if (tokens.length === 0) return value;
  const parent = get(doc, tokens.slice(0, -1), fail) as Record<string, unknown> | unknown[];
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent[Number(last)] = value;
  else parent[last] = value;
  return doc;
}

function remove(doc: unknown, tokens: string[], fail: Fail): { doc: unknown; value: unknown } {
  if (tokens.length === 0) throw fail('cannot remove the whole document');
  const parent = get(doc, tokens.slice(0, -1), fail);
  const last = tokens[tokens.length - 1]!;
  const value = get(doc, tokens, fail);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Record<string, unknown>)[last];
  return { doc, value };
}
