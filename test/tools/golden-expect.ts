// Draft `.expect.json` sidecars for the golden captures: the key fields (topic and group names, partition
// indexes, error codes, coordinator keys, mechanisms, config names) of each decoded request and response.
//
//   npx tsx test/tools/golden-expect.ts [fixtures/protocol] [--force]
//
// A draft is only a starting point: review each against what the capture step did (PROVENANCE.md) —
// topic/group names, error codes 0 where the tool succeeded — and edit by hand. Existing sidecars are
// kept unless --force.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type ApiKey,
  decodeRequestFrame,
  decodeResponseFrame,
  isSupportedVersion,
} from '../../src/protocol/index.js';

const KEEP = new Set([
  'name',
  'topic',
  'topicName',
  'groupId',
  'groupIds',
  'groups',
  'topics',
  'topicData',
  'partitions',
  'partitionData',
  'partitionIndex',
  'partitionIndexes',
  'index',
  'errorCode',
  'key',
  'keyType',
  'mechanism',
  'mechanisms',
  'transactionalId',
  'controllerId',
  'resourceType',
  'resourceName',
  'resources',
  'configs',
  'results',
  'responses',
  'partitionResponses',
  'acks',
  'committedOffset',
  'coordinators',
  'protocolType',
  'clientSoftwareName',
  'numPartitions',
  'count',
  'offset',
  'lowWatermark',
  'electionType',
  'replicaElectionResults',
  'partitionResult',
  'configOperation',
  'value',
  'committed',
  'groupState',
]);
/** Arrays longer than this (config dumps, API key lists) are left out of the sidecar. */
const ARRAY_MAX = 12;

function project(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length > ARRAY_MAX) return undefined;
    return value.map(project);
  }
  if (typeof value === 'bigint') return undefined;
  if (value instanceof Uint8Array) return undefined;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!KEEP.has(k)) continue;
    const p = project(v);
    if (p === undefined) continue;
    if (typeof p === 'object' && p !== null && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}

function readHex(path: string): Uint8Array {
  const hex = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('');
  return Buffer.from(hex, 'hex');
}

const args = process.argv.slice(2);
const force = args.includes('--force');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? 'fixtures/protocol');
const captures = JSON.parse(readFileSync(join(dir, 'captures.json'), 'utf8')) as {
  file: string;
  apiKey: number;
  version: number;
  hasResponse: boolean;
}[];
let written = 0;
for (const c of captures) {
  if (!isSupportedVersion(c.apiKey, c.version)) continue;
  const out = join(dir, `${c.file}.expect.json`);
  if (existsSync(out) && !force) continue;
  const request = project(decodeRequestFrame(readHex(join(dir, `${c.file}.request.hex`))).body);
  const sidecar: Record<string, unknown> = { request };
  if (c.hasResponse) {
    const { body } = decodeResponseFrame(
      c.apiKey as ApiKey,
      c.version,
      readHex(join(dir, `${c.file}.response.hex`)),
    );
    sidecar.response = project(body);
  }
  writeFileSync(out, `${JSON.stringify(sidecar, null, 2)}\n`);
  written++;
}
console.error(`wrote ${written} sidecars under ${dir}`);
