/**
 * Kafka console-consumer style output (DefaultMessageFormatter): optional `CreateTime:ts`,
 * `Partition:p`, `Offset:o`, headers `k:v,k2:v2` (or NO_HEADERS), key, then the value, each separated by
 * the key separator (tab), one record per line; null keys and values print as `null`.
 */
import type { ConsumedRecord } from './jsonl.js';

export interface ConsoleFormatOptions {
  printTimestamp?: boolean;
  printPartition?: boolean;
  printOffset?: boolean;
  printHeaders?: boolean;
  printKey?: boolean;
  /** Default '\t'. */
  keySeparator?: string;
  /** Default 'null' (Kafka's null.literal). */
  nullLiteral?: string;
}

const NEWLINE = Buffer.from('\n');

export function renderConsole(options: ConsoleFormatOptions, r: ConsumedRecord): Array<Buffer | string> {
  const sep = options.keySeparator ?? '\t';
  const nullText = options.nullLiteral ?? 'null';
  const out: Array<Buffer | string> = [];
  const bytes = (b: Uint8Array | null): Buffer | string =>
    b === null ? nullText : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (options.printTimestamp) {
    out.push(`${r.timestampType === 'log-append' ? 'LogAppendTime' : 'CreateTime'}:${r.timestamp}`, sep);
  }
  if (options.printPartition) out.push(`Partition:${r.partition}`, sep);
  if (options.printOffset) out.push(`Offset:${r.offset}`, sep);
  if (options.printHeaders) {
    if (r.headers.length === 0) out.push('NO_HEADERS');
    r.headers.forEach((h, i) => {
      out.push(`${i === 0 ? '' : ','}${h.key}:`, bytes(h.value));
    });
    out.push(sep);
  }
  if (options.printKey) out.push(bytes(r.key), sep);
  out.push(bytes(r.value), NEWLINE);
  return out;
}
