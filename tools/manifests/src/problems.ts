/** One thing wrong with the delivery files: the file to open, the field in it, and what is wrong. */
export interface Problem {
  file: string;
  field: string;
  message: string;
}

/** Thrown where rendering cannot go on; carries the same file and field a Problem does. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}${field ? `, field ${field}` : ''}: ${detail}`);
    this.name = 'ManifestError';
  }

  toProblem(): Problem {
    return { file: this.file, field: this.field, message: this.detail };
  }
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.file}${p.field ? `, field ${p.field}` : ''}: ${p.message}`).join('\n');
}

/** Runs a check and turns a ManifestError into a Problem, so one failure does not hide the others. */
export function collect(run: () => Problem[]): Problem[] {
  try {
    return run();
  } catch (err) {
    if (err instanceof ManifestError) return [err.toProblem()];
    throw err;
  }
}
