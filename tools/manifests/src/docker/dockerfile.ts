import path from 'node:path';
import { ManifestError } from '../problems';

export interface Instruction {
  keyword: string;
  /** The arguments after the keyword and its `--flags`. */
  args: string;
  flags: Record<string, string>;
  line: number;
}

export interface Stage {
  /** `FROM <base>`, with global ARGs substituted. */
  base: string;
  name?: string;
  index: number;
  line: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  file: string;
  stages: Stage[];
}

/**
 * Reads a Dockerfile into stages and instructions: line continuations, comments, parser directives, global ARG
 * defaults in FROM, `--flag=value` options. Enough to check what an image contains and runs without Docker.
 */
export function parseDockerfile(text: string, file: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const { text: line, line: number } of logicalLines(text)) {
    const m = /^(\S+)\s*(.*)$/s.exec(line)!;
    const keyword = m[1]!.toUpperCase();
    let rest = m[2]!.trim();
    const flags: Record<string, string> = {};
    for (let f = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); f; f = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
      flags[f[1]!] = f[2] ?? 'true';
      rest = rest.slice(f[0].length);
    }
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new ManifestError(file, `line ${number}`, `cannot read FROM ${rest}`);
      stages.push({ base: substitute(from[1]!, globalArgs), name: from[2], index: stages.length, line: number, instructions: [] });
    } else if (stages.length === 0) {
      if (keyword !== 'ARG') throw new ManifestError(file, `line ${number}`, `${keyword} before the first FROM`);
      const arg = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(rest);
      if (arg) globalArgs[arg[1]!] = unquote(arg[2] ?? '');
    } else {
      stages[stages.length - 1]!.instructions.push({ keyword, args: rest, flags, line: number });
    }
  }
  if (stages.length === 0) throw new ManifestError(file, '', 'has no FROM');
  return { file, stages };
}

function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (current === '' && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (current !== '' && trimmed.startsWith('#')) return; // comments inside a continued instruction
    if (current === '') start = i + 1;
    if (trimmed.endsWith('\\')) {
      current += `${trimmed.slice(0, -1)} `;
      return;
    }
    current += trimmed;
    out.push({ text: current, line: start });
    current = '';
  });
  if (current.trim()) out.push({ text: current.trim(), line: start });
  return out;
}

function substitute(text: string, args: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a: string | undefined, b: string | undefined) => args[(a ?? b)!] ?? '');
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** The exec (JSON) form of CMD/ENTRYPOINT/RUN, or the shell form as `/bin/sh -c`. */
export function commandOf(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return ['/bin/sh', '-c', args];
}

export interface Runtime {
  workdir: string;
  env: Record<string, string>;
  user?: string;
  entrypoint: string[];
  cmd: string[];
  exposed: number[];
}

/** What a container of the final stage starts with: WORKDIR, ENV, USER, ENTRYPOINT and CMD after every stage it builds on. */
export function runtimeOf(dockerfile: Dockerfile, stage = dockerfile.stages[dockerfile.stages.length - 1]!): Runtime {
  const parent = dockerfile.stages.find((s) => s.name !== undefined && s.name === stage.base && s.index < stage.index);
  const rt: Runtime = parent ? runtimeOf(dockerfile, parent) : { workdir: '/', env: {}, entrypoint: [], cmd: [], exposed: [] };
  for (const i of stage.instructions) {
    if (i.keyword === 'WORKDIR') rt.workdir = path.posix.resolve(rt.workdir, substitute(i.args, rt.env));
    if (i.keyword === 'ENV') Object.assign(rt.env, parseEnv(i.args));
    if (i.keyword === 'USER') rt.user = i.args;
    if (i.keyword === 'EXPOSE') rt.exposed.push(...i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));
    if (i.keyword === 'ENTRYPOINT') {
      rt.entrypoint = commandOf(i.args);
      rt.cmd = []; // Docker: a new ENTRYPOINT resets an inherited CMD.
    }
    if (i.keyword === 'CMD') rt.cmd = commandOf(i.args);
  }
  return rt;
}

function parseEnv(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [key, ...value] = args.split(/\s+/);
    return { [key!]: value.join(' ') };
  }
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) out[m[1]!] = unquote(m[2]!);
  return out;
}

export interface Copy {
  /** A stage name (or index) for `COPY --from`, undefined for the build context. */
  from?: string;
  sources: string[];
  dest: string;
  line: number;
}

export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      const parts = i.args.startsWith('[') ? (JSON.parse(i.args) as string[]) : i.args.split(/\s+/);
      return { from: i.flags['from'], sources: parts.slice(0, -1), dest: parts[parts.length - 1]!, line: i.line };
    });
}
