import { checkRepository } from '../../src/checks';
import type { Problem } from '../../src/problems';
import { repoFiles } from '../../src/repo';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../src/repo';

/** A repository file with one piece of text replaced; fails loudly when the text is not there (the file moved on). */
export function edited(file: string, from: string | RegExp, to: string): Record<string, string> {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file} does not contain ${String(from)}`);
  return { [file]: next };
}

/** The problems the checks find in the repository with these in-memory edits. */
export function problemsWith(edits: Record<string, string | null>): Promise<Problem[]> {
  return checkRepository(repoFiles(edits));
}
