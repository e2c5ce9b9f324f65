/**
 * Colour and progress for the CLI, on a terminal only: piped output, NO_COLOR, or --json get plain text (or
 * nothing on stdout but the JSON document).
 */
import { styleText } from 'node:util';

type Colour = 'red' | 'green' | 'yellow' | 'blue' | 'dim' | 'bold';

export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

// styleText checks the stream itself only from Node 20.20 and 22.13 on: the same check here for every Node 20.
export function paint(colour: Colour, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return useColour(stream) ? styleText(colour, text, { validateStream: false }) : text;
}

/**
 * Numbered steps of a long command, written to stderr (stdout stays free for --json): `[2/3] generating… 1.2 s`.
 * On a terminal a step's line is finished in place; elsewhere one line per finished step.
 */
export class Progress {
  private index = 0;

  constructor(
    private readonly total: number,
    private readonly quiet = false,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  async step<T>(label: string, work: () => Promise<T> | T, detail?: (result: T) => string): Promise<T> {
    this.index++;
    const head = `${paint('dim', `[${this.index}/${this.total}]`, this.stream)} ${label}`;
    const tty = this.stream.isTTY && !this.quiet;
    if (tty) this.stream.write(`${head}…`);
    const started = performance.now();
    try {
      const result = await work();
      const took = formatMs(performance.now() - started);
      const extra = detail ? ` ${detail(result)}` : '';
      if (tty)
        this.stream.write(`\r${head} ${paint('green', '✓', this.stream)}${extra} ${paint('dim', took, this.stream)}\n`);
      else if (!this.quiet) this.stream.write(`${head} ✓${extra} ${took}\n`);
      return result;
    } catch (error) {
      if (tty) this.stream.write(`\r${head} ${paint('red', '✗', this.stream)}\n`);
      else if (!this.quiet) this.stream.write(`${head} ✗\n`);
      throw error;
    }
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
