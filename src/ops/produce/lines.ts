/**
 * Splits a byte stream into lines on \n without decoding (binary safe: a line is the exact bytes between
 * newlines; a final line without a newline counts). Lines are views into the chunks read, yielded in
 * blocks per chunk so the per-line cost is one indexOf and one view. A line longer than `lineBytesMax` is an error
 * naming its line number, checked before it is buffered further.
 */
import { KtError } from '../../errors/kt-error.js';

export const LINE_BYTES_MAX_DEFAULT = 64 * 1024 * 1024;

/** Lines of one chunk: `lines[i]` is line number `firstLineNo + i` (1-based). */
export interface LineBlock {
  lines: Buffer[];
  firstLineNo: number;
}

export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  lineBytesMax: number = LINE_BYTES_MAX_DEFAULT,
): AsyncGenerator<LineBlock> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineNo = 0;
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const lines: Buffer[] = [];
    const firstLineNo = lineNo + 1;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      let bytes = chunk.subarray(start, nl);
      if (carryBytes > 0) {
        carry.push(bytes);
        bytes = Buffer.concat(carry, carryBytes + bytes.length);
        carry = [];
        carryBytes = 0;
      }
      lineNo++;
      if (bytes.length > lineBytesMax) throw tooLong(lineNo, lineBytesMax);
      lines.push(bytes);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      carry.push(rest);
      carryBytes += rest.length;
      if (carryBytes > lineBytesMax) throw tooLong(lineNo + 1, lineBytesMax);
    }
    if (lines.length > 0) yield { lines, firstLineNo };
  }
  if (carryBytes > 0) yield { lines: [Buffer.concat(carry, carryBytes)], firstLineNo: lineNo + 1 };
}

function tooLong(lineNo: number, max: number): KtError {
  return new KtError('KT_INVALID_INPUT', `line ${lineNo}: longer than ${max} bytes`, {
    hint: 'use --whole-file for one record per file',
  });
}
