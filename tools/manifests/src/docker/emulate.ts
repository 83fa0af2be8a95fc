import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../repo';
import { copiesOf, runtimeOf, type Dockerfile, type Runtime, type Stage } from './dockerfile';
import { planInstall, type Lockfile } from './lockfile';

export interface AssembledImage {
  /** Host directory standing for the image's `/`. */
  root: string;
  runtime: Runtime;
  /** Host directory of the runtime WORKDIR. */
  workdir: string;
  remove(): void;
}

/** Stages that build with the workspace's own tools: on this machine they are the working tree after `nx build`. */
const WORKING_TREE_STAGES = new Set(['deps', 'build']);
const IMAGE_REPO = '/repo';

/**
 * The final stage's filesystem, put together on this machine without Docker, for the instructions the repository's
 * Dockerfiles use: COPY from the build context and from earlier stages, WORKDIR, and `npm ci` (exactly the packages
 * package-lock.json says it installs with the given workspace filter and --omit=dev), `npm rebuild` (the addon is
 * built already). The `deps` and `build` stages are the working tree after `nx build`. Files are hard links, so
 * assembling an image takes a moment and no space.
 */
export function assembleImage(dockerfile: Dockerfile): AssembledImage {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'manifests-image-'));
  const roots = new Map<string, string>();
  try {
    for (const stage of dockerfile.stages) {
      if (stage.name && WORKING_TREE_STAGES.has(stage.name)) continue;
      const root = path.join(tmp, `stage-${stage.index}`);
      mkdirSync(root, { recursive: true });
      materialize(stage, root, roots, dockerfile.file);
      if (stage.name) roots.set(stage.name, root);
      roots.set(String(stage.index), root);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const final = dockerfile.stages[dockerfile.stages.length - 1]!;
  const root = roots.get(String(final.index))!;
  const runtime = runtimeOf(dockerfile);
  return { root, runtime, workdir: path.join(root, runtime.workdir), remove: () => rmSync(tmp, { recursive: true, force: true }) };
}

function materialize(stage: Stage, root: string, roots: Map<string, string>, file: string): void {
  let workdir = '/';
  const copyRuns = new Map(copiesOf(stage).map((c) => [c.line, c]));
  for (const i of stage.instructions) {
    const fail = (detail: string) => new Error(`${file} line ${i.line} (${i.keyword} ${i.args}): ${detail}`);
    if (i.keyword === 'WORKDIR') {
      workdir = path.posix.resolve(workdir, i.args);
      mkdirSync(path.join(root, workdir), { recursive: true });
    } else if (i.keyword === 'COPY' || i.keyword === 'ADD') {
      const copy = copyRuns.get(i.line)!;
      const dest = path.posix.resolve(workdir, copy.dest);
      const intoDir = copy.dest.endsWith('/') || copy.sources.length > 1;
      for (const source of copy.sources) {
        const from = copy.from === undefined ? path.join(REPO_ROOT, source) : hostPath(copy.from, source, roots, fail);
        if (!existsSync(from)) throw fail(`${source} does not exist`);
        const target = path.join(root, intoDir && !lstatSync(from).isDirectory() ? path.posix.join(dest, path.posix.basename(source)) : dest);
        copyTree(from, target);
      }
    } else if (i.keyword === 'RUN') {
      run(i.args, path.join(root, workdir), fail);
    } else if (!['ENV', 'USER', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'ARG', 'LABEL'].includes(i.keyword)) {
      throw fail('this emulation does not know the instruction');
    }
  }
}

function hostPath(stage: string, source: string, roots: Map<string, string>, fail: (d: string) => Error): string {
  if (WORKING_TREE_STAGES.has(stage)) {
    if (source !== IMAGE_REPO && !source.startsWith(`${IMAGE_REPO}/`)) throw fail(`the ${stage} stage holds the repository at ${IMAGE_REPO}`);
    return path.join(REPO_ROOT, source.slice(IMAGE_REPO.length));
  }
  const root = roots.get(stage);
  if (!root) throw fail(`no earlier stage ${stage}`);
  return path.join(root, source);
}

function run(command: string, cwd: string, fail: (d: string) => Error): void {
  for (const step of command.split('&&').map((s) => s.trim())) {
    const words = step.split(/\s+/);
    if (words[0] === 'npm' && words[1] === 'ci') npmCi(words.slice(2), cwd);
    else if (words[0] === 'npm' && words[1] === 'rebuild') continue; // the working tree's addon is built already
    else throw fail(`cannot emulate \`${step}\``);
  }
}

function npmCi(flags: string[], cwd: string): void {
  const workspaces: string[] = [];
  flags.forEach((f, i) => {
    if (f === '-w' || f === '--workspace') workspaces.push(flags[i + 1]!);
    else if (f.startsWith('--workspace=')) workspaces.push(f.slice('--workspace='.length));
  });
  const lock = JSON.parse(readFileSync(path.join(cwd, 'package-lock.json'), 'utf8')) as Lockfile;
  const plan = planInstall(lock, { workspaces, includeRoot: flags.includes('--include-workspace-root'), omitDev: flags.includes('--omit=dev') });
  for (const location of plan.packages) {
    const from = path.join(REPO_ROOT, location);
    // An optional package for another platform is in the lockfile but not installed here, nor in a Linux image.
    if (existsSync(from)) copyTree(from, path.join(cwd, location), (rel) => rel === 'node_modules');
  }
  for (const [location, target] of Object.entries(plan.links)) {
    mkdirSync(path.dirname(path.join(cwd, location)), { recursive: true });
    symlinkSync(path.relative(path.dirname(path.join(cwd, location)), path.join(cwd, target)), path.join(cwd, location));
  }
}

/** Copies a file or a directory tree as hard links (symlinks as symlinks), skipping the given relative paths. */
function copyTree(from: string, to: string, skip: (relative: string) => boolean = () => false, relative = ''): void {
  const info = lstatSync(from);
  mkdirSync(path.dirname(to), { recursive: true });
  if (info.isSymbolicLink()) {
    if (!existsSync(to)) symlinkSync(readlinkSync(from), to);
  } else if (info.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) {
      const rel = relative ? `${relative}/${name}` : name;
      if (!skip(rel)) copyTree(path.join(from, name), path.join(to, name), skip, rel);
    }
  } else if (!existsSync(to)) {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
}
