/**
 * The runner's terminal output: every app's lines behind its padded app id (one colour per app on a terminal),
 * and the runner's own lines behind `run`. Colours follow the NO_COLOR / FORCE_COLOR conventions.
 */

const PALETTE = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];
const RUNNER = 'run';

export type Tone = 'plain' | 'good' | 'bad' | 'dim';
const TONES: Record<Tone, number | undefined> = { plain: undefined, good: 32, bad: 31, dim: 2 };

export class Output {
  private readonly width: number;
  private readonly colours = new Map<string, number>();

  constructor(
    appIds: string[],
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
    private readonly colour = useColour(process.stdout, process.env),
  ) {
    this.width = Math.max(RUNNER.length, ...appIds.map((id) => id.length));
    appIds.forEach((id, i) => this.colours.set(id, PALETTE[i % PALETTE.length]!));
  }

  /** The app whose line was printed last, if the last line was an app's. */
  lastWriter: string | undefined;

  /** One line an app printed (stdout and stderr alike). */
  app(appId: string, line: string): void {
    this.lastWriter = appId;
    this.write(`${this.paint(appId.padEnd(this.width), this.colours.get(appId))} | ${line}\n`);
  }

  /** One line of the runner's own. */
  info(text: string, tone: Tone = 'plain'): void {
    this.lastWriter = undefined;
    this.write(`${this.paint(RUNNER.padEnd(this.width), 1)} | ${this.paint(text, TONES[tone])}\n`);
  }

  /** An app's id in its colour, for the runner's lines about it. */
  name(appId: string): string {
    return this.paint(appId, this.colours.get(appId));
  }

  private paint(text: string, code: number | undefined): string {
    return this.colour && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}

function useColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR']) return false;
  if (env['FORCE_COLOR'] && env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY);
}
