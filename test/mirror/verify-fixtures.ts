// Shared by the kt mirror verify integration suites: a source record as input again, the JSON-shape helper
// and the process launcher. Clusters: pairs.ts; records and the retrying produce: flows.ts.
import type { RecordInput } from '../../src/protocol/record-batch.js';
import { type KtResult, runKt } from '../cli/run-kt.js';
import type { SimpleRecord } from './helpers.js';

export const asInput = (r: SimpleRecord): RecordInput => ({
  key: r.key === null ? null : Buffer.from(r.key),
  value: r.value === null ? null : Buffer.from(r.value),
  headers: r.headers.map(([key, value]) => ({ key, value: value === null ? null : Buffer.from(value) })),
  timestamp: r.timestamp,
});

/** The JSON output's structure: every key, with the type of its value (arrays: of their first element). */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? 'null' : typeof value;
}

export const RANGE_SHAPES = {
  missingRanges: [{ sourceFrom: 'number', sourceTo: 'number', count: 'number', trailing: 'boolean' }],
  duplicatedRanges: [
    {
      sourceFrom: 'number',
      sourceTo: 'number',
      count: 'number',
      targetFrom: 'number',
      targetTo: 'number',
      duplicateFrom: 'number',
      duplicateTo: 'number',
    },
  ],
  divergingRanges: [
    {
      sourceFrom: 'number',
      sourceTo: 'number',
      targetFrom: 'number',
      targetTo: 'number',
      count: 'number',
      fields: ['string'],
    },
  ],
  unexpectedRanges: [],
  rangesTruncated: 'boolean',
};

/** `kt mirror verify` as a process (the built binary; npm test builds first). */
export function kt(args: string[]): Promise<KtResult> {
  return runKt(['mirror', 'verify', ...args], {
    env: { KT_CONFIG: '/nonexistent/kt-config.yaml' },
    timeoutMs: 120_000,
  });
}
