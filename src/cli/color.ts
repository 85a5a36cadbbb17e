/**
 * Colour policy: colours only when the stream is a TTY, never when NO_COLOR is set (no-color.org), and
 * FORCE_COLOR=1 forces them (for tests of coloured output). Every coloured string in kt goes through here.
 */
type ChalkModule = typeof import('chalk');

/** What kt paints with; a ChalkInstance satisfies it. */
export interface Painter {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

const identity = (text: string) => text;
const PLAIN: Painter = { bold: identity, dim: identity, red: identity, yellow: identity, green: identity };

// chalk is loaded only when some output will be coloured (a TTY or FORCE_COLOR): importing it costs
// ~40 ms of start-up, which scripts and pipes should not pay.
let chalk: ChalkModule | undefined;

/** Loads chalk when stdout or stderr will be coloured; call once before rendering (KtCommand.init does). */
export async function loadColors(env = process.env): Promise<void> {
  if (chalk === undefined && (colorEnabled(process.stdout, env) || colorEnabled(process.stderr, env))) {
    chalk = await import('chalk');
  }
}

export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  return stream.isTTY === true;
}

/** A painter for `stream`: chalk when colours are enabled there (and loaded), plain text otherwise. */
export function colors(stream: { isTTY?: boolean } = process.stdout, env = process.env): Painter {
  if (!colorEnabled(stream, env) || chalk === undefined) return PLAIN;
  return new chalk.Chalk({ level: 1 });
}
