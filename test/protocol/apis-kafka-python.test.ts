/**
 * Differential test against an independent implementation: kafka-python 2.0.2 (Debian's python3-kafka;
 * its hand-written protocol classes cover the classic versions of 25 APIs). For every message version
 * both implementations know, random values from our schema are encoded by us, parsed by kafka-python,
 * which must consume exactly our bytes, and re-encoded by kafka-python, which must give our bytes back.
 * Skipped when /usr/bin/python3 has no kafka module. KAFKA_PYTHON_QUIRKS lists where kafka-python
 * itself cannot round-trip, with the reason.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getApi, isSupportedVersion, messageCodec } from '../../src/protocol/schema/registry.js';
import { Writer } from '../../src/protocol/writer.js';
import { structArbitrary } from './schema-arbitrary.js';

const PYTHON = '/usr/bin/python3';
const VALUES_PER_MESSAGE = 4;

const SCRIPT = `
import sys, json, io, pkgutil, importlib, inspect
import kafka.protocol as p
from kafka.protocol.api import Request, Response
classes = {}
for m in pkgutil.iter_modules(p.__path__):
    mod = importlib.import_module('kafka.protocol.' + m.name)
    for name, c in inspect.getmembers(mod, inspect.isclass):
        if c in (Request, Response) or not issubclass(c, (Request, Response)):
            continue
        try:
            k = (c.API_KEY, c.API_VERSION, 'request' if issubclass(c, Request) else 'response')
        except Exception:
            continue
        classes.setdefault(k, c)
if sys.argv[1] == 'list':
    print(json.dumps(sorted(classes)))
    sys.exit(0)
for line in sys.stdin:
    case = json.loads(line)
    cls = classes[(case['key'], case['version'], case['dir'])]
    data = bytes.fromhex(case['hex'])
    buf = io.BytesIO(data)
    try:
        values = cls.SCHEMA.decode(buf)
        out = {'consumed': buf.tell(), 'hex': cls.SCHEMA.encode(values).hex()}
    except Exception as e:
        out = {'error': type(e).__name__ + ': ' + str(e)}
    print(json.dumps(out))
`;

function python(args: string[], input?: string): string | undefined {
  try {
    return execFileSync(PYTHON, ['-c', SCRIPT, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      ...(input === undefined ? {} : { input }),
    });
  } catch {
    return undefined;
  }
}

const listed = python(['list']);
const known: [number, number, 'request' | 'response'][] = listed === undefined ? [] : JSON.parse(listed);

/** Message versions kafka-python gets wrong or cannot re-encode, and why. */
const KAFKA_PYTHON_QUIRKS: Record<string, string> = {
  // Checked against Kafka's message specs (see schema-kafka.test.ts): the bug is kafka-python's.
  '0:8:response': 'lacks the per-partition recordErrors and errorMessage added in Produce v8 (KIP-467)',
  '1:7:request': 'its forgotten_topics_data uses the String class uninstantiated: TypeError in kafka-python',
  '1:8:request': 'same String bug as Fetch v7',
  '1:9:request': 'same String bug as Fetch v7',
  '1:10:request': 'same String bug as Fetch v7',
  '1:11:request': 'same String bug as Fetch v7',
  '2:5:request': 'reads currentLeaderEpoch as int64; Kafka has int32',
  '10:1:response': 'lacks throttleTimeMs, the first field since FindCoordinator v1',
  '15:3:response': 'lacks the per-group authorizedOperations added in DescribeGroups v3',
  '32:1:response': 'reads configSource (int8, v1+) as an isDefault boolean, so non-0/1 values re-encode as 1',
};

describe.skipIf(listed === undefined)('wire compatibility with kafka-python 2.0.2', () => {
  it('kafka-python parses every message version we share exactly and re-encodes the same bytes', () => {
    const cases: { key: number; version: number; dir: string; hex: string }[] = [];
    for (const [key, version, dir] of known) {
      if (!isSupportedVersion(key, version) || KAFKA_PYTHON_QUIRKS[`${key}:${version}:${dir}`] !== undefined)
        continue;
      const api = getApi(key)!;
      const flexible = api.flexibleVersions !== null && version >= api.flexibleVersions;
      if (flexible) continue; // kafka-python 2.0.2 predates flexible versions
      const values = fc.sample(structArbitrary(api[dir].fields, version, false), {
        numRuns: VALUES_PER_MESSAGE,
        seed: key * 100 + version,
      });
      for (const value of values) {
        const w = new Writer();
        messageCodec(key, version, dir).write(w, value);
        cases.push({ key, version, dir, hex: Buffer.from(w.finish()).toString('hex') });
      }
    }
    const output = python(['run'], cases.map((c) => JSON.stringify(c)).join('\n'));
    expect(output).toBeDefined();
    const results = output!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { consumed?: number; hex?: string; error?: string });
    expect(results).toHaveLength(cases.length);
    const failures: string[] = [];
    results.forEach((r, i) => {
      const c = cases[i]!;
      const what = `${getApi(c.key)!.name} v${c.version} ${c.dir}`;
      if (r.error !== undefined) failures.push(`${what}: kafka-python failed: ${r.error}`);
      else if (r.consumed !== c.hex.length / 2)
        failures.push(`${what}: consumed ${r.consumed} of ${c.hex.length / 2} bytes`);
      else if (r.hex !== c.hex) failures.push(`${what}: re-encoded differently`);
    });
    expect(failures).toEqual([]);
    // The comparison covered many message versions, not a handful.
    expect(new Set(cases.map((c) => `${c.key}:${c.version}:${c.dir}`)).size).toBeGreaterThan(100);
  });
});
