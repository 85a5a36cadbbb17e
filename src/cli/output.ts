/**
 * Rendering of command results. Every command produces a plain data value (its stable `--output json`
 * shape, documented with the command and snapshot-tested) and, for humans, a table. Data goes to stdout;
 * diagnostics go to stderr through the command's logger.
 */
import { createRequire } from 'node:module';
import { yaml } from './lazy-yaml.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Converts a value into JSON-safe data: bigint becomes a number when it is a safe integer (offsets and
 * timestamps almost always are) and a decimal string otherwise, so consumers never lose precision.
 */
export function toPlainData(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(toPlainData);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined) out[key] = toPlainData(entry);
    }
    return out;
  }
  return value;
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(toPlainData(value), null, 2)}\n`;
}

export function formatYaml(value: unknown): string {
  return yaml().stringify(toPlainData(value));
}

export interface TableOptions {
  /** Column headers, upper case by convention (kafka-topics.sh, kafka-consumer-groups.sh). */
  head: string[];
  rows: Array<Array<string | number | bigint | null | undefined>>;
  /** Right-align these column indexes (numbers). */
  alignRight?: number[];
}

type TableConstructor = typeof import('cli-table3');
let TableClass: TableConstructor | undefined;

/** A borderless, space-separated table: easy to read and to grep/awk. cli-table3 loads on first use. */
export function formatTable(options: TableOptions): string {
  TableClass ??= createRequire(import.meta.url)('cli-table3') as TableConstructor;
  const table = new TableClass({
    head: options.head,
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: options.head.map((_, i) => (options.alignRight?.includes(i) ? 'right' : 'left')),
  });
  for (const row of options.rows)
    table.push(row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}

/** Renders `data` in the chosen format; `table` renders the human form. */
export function formatOutput(data: unknown, format: OutputFormat, table: () => string): string {
  if (format === 'json') return formatJson(data);
  if (format === 'yaml') return formatYaml(data);
  return table();
}
