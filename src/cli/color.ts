/**
 * Colour policy: colours only when the stream is a TTY, never when NO_COLOR is set (no-color.org), and
 * FORCE_COLOR=1 forces them (for tests of coloured output). Every coloured string in kt goes through here.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  return stream.isTTY === true;
}

export function colors(stream: { isTTY?: boolean } = process.stdout, env = process.env): ChalkInstance {
  return new Chalk({ level: colorEnabled(stream, env) ? 1 : 0 });
}
