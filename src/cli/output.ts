// Terminal output for humans and machines: colour only on a TTY without NO_COLOR, progress
// only on a TTY, JSON on request. Every line that leaves goes through here.
import type { Writable } from 'node:stream';

export type Output = {
  readonly json: boolean;
  readonly color: boolean;
  readonly tty: boolean;
  /** A human line on stdout (suppressed in --json mode). */
  line(text?: string): void;
  /** The machine result on stdout (only in --json mode). */
  result(value: unknown): void;
  /** Errors and warnings on stderr (always). */
  error(text: string): void;
  /** Transient progress on a TTY's stderr; silent when piped. */
  progress(text: string): void;
  paint(style: Style, text: string): string;
};

export const STYLES = ['bold', 'dim', 'red', 'green', 'yellow', 'cyan', 'magenta'] as const;
export type Style = (typeof STYLES)[number];
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39], magenta: [35, 39],
};

export function createOutput(opts: { json: boolean; stdout?: Writable & { isTTY?: boolean }; stderr?: Writable & { isTTY?: boolean }; env?: NodeJS.ProcessEnv }): Output {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const env = opts.env ?? process.env;
  const tty = Boolean(stderr.isTTY);
  const color = Boolean(stdout.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  let progressShown = false;
  const clearProgress = () => { if (progressShown) { stderr.write('\r\x1b[K'); progressShown = false; } };
  return {
    json: opts.json, color, tty,
    line(text = '') { if (!opts.json) { clearProgress(); stdout.write(text + '\n'); } },
    result(value) { if (opts.json) stdout.write(JSON.stringify(value, null, 2) + '\n'); },
    error(text) { clearProgress(); stderr.write(text + '\n'); },
    progress(text) {
      if (!tty || opts.json) return;
      stderr.write('\r\x1b[K' + text.slice(0, 120));
      progressShown = true;
    },
    paint(style, text) { if (!color) return text; const [a, b] = CODES[style]; return `\x1b[${a}m${text}\x1b[${b}m`; },
  };
}
