import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root; every path below is relative to it, with `/` separators. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The repository's files as the checks see them. Tests layer in-memory edits over the real tree (a changed
 * text, or `null` for a deleted file) to prove that a broken manifest is caught.
 */
export interface RepoFiles {
  read(file: string): string;
  exists(file: string): boolean;
  isDirectory(dir: string): boolean;
  /** Names of the entries of a directory (files and directories). */
  list(dir: string): string[];
}

export function repoFiles(edits: Record<string, string | null> = {}): RepoFiles {
  const abs = (file: string) => path.join(REPO_ROOT, file);
  const edited = (file: string) => Object.prototype.hasOwnProperty.call(edits, normalize(file));
  const files: RepoFiles = {
    read(file) {
      const key = normalize(file);
      if (edited(key)) {
        const text = edits[key];
        if (text === null) throw new Error(`${key} does not exist`);
        return text!;
      }
      if (!existsSync(abs(key)) || statSync(abs(key)).isDirectory()) throw new Error(`${key} does not exist`);
      return readFileSync(abs(key), 'utf8');
    },
    exists(file) {
      const key = normalize(file);
      if (edited(key)) return edits[key] !== null;
      return existsSync(abs(key)) || Object.keys(edits).some((e) => e.startsWith(`${key}/`) && edits[e] !== null);
    },
    isDirectory(dir) {
      const key = normalize(dir);
      if (edited(key)) return false;
      return (existsSync(abs(key)) && statSync(abs(key)).isDirectory()) || Object.keys(edits).some((e) => e.startsWith(`${key}/`) && edits[e] !== null);
    },
    list(dir) {
      const key = normalize(dir);
      const names = new Set(existsSync(abs(key)) && statSync(abs(key)).isDirectory() ? readdirSync(abs(key)) : []);
      for (const [file, text] of Object.entries(edits)) {
        if (!file.startsWith(`${key}/`)) continue;
        const name = file.slice(key.length + 1).split('/')[0]!;
        if (text === null && !file.slice(key.length + 1).includes('/')) names.delete(name);
        else if (text !== null) names.add(name);
      }
      return [...names].sort();
    },
  };
  return files;
}

/** `a/./b/../c` → `a/c`, always with `/`; paths never leave the repository. */
export function normalize(file: string): string {
  const out = path.posix.normalize(file.split(path.sep).join('/')).replace(/\/+$/, '');
  if (out.startsWith('../') || out === '..' || path.posix.isAbsolute(out)) throw new Error(`${file} is outside the repository`);
  return out === '.' ? '' : out;
}

export function join(dir: string, file: string): string {
  return normalize(path.posix.join(dir, file));
}
