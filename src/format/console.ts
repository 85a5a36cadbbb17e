/**
 * Kafka console-consumer style output (DefaultMessageFormatter): optional `CreateTime:ts`,
 * `Partition:p`, `Offset:o`, headers `k:v,k2:v2` (or NO_HEADERS), key, then the value, each separated by
 * the key separator (tab), one record per line; null keys and values print as `null`.
 */
import type { ConsumedRecord } from './jsonl.js';
import type { ByteSink } from './sink.js';

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

/** Renders one record into `out`. */
export function renderConsole(options: ConsoleFormatOptions, r: ConsumedRecord, out: ByteSink): void {
  const sep = options.keySeparator ?? '\t';
  const nullText = options.nullLiteral ?? 'null';
  const bytes = (b: Uint8Array | null): void => {
    if (b === null) out.text(nullText);
    else out.bytes(b);
  };
  if (options.printTimestamp) {
    out.text(`${r.timestampType === 'log-append' ? 'LogAppendTime' : 'CreateTime'}:${r.timestamp}${sep}`);
  }
  if (options.printPartition) out.text(`Partition:${r.partition}${sep}`);
  if (options.printOffset) out.text(`Offset:${r.offset}${sep}`);
  if (options.printHeaders) {
    if (r.headers.length === 0) out.text('NO_HEADERS');
    for (let i = 0; i < r.headers.length; i++) {
      const h = r.headers[i]!;
      out.text(`${i === 0 ? '' : ','}${h.key}:`);
      bytes(h.value);
    }
    out.text(sep);
  }
  if (options.printKey) {
    bytes(r.key);
    out.text(sep);
  }
  bytes(r.value);
  out.bytes(NEWLINE);
}

const NEWLINE = Uint8Array.of(10);
