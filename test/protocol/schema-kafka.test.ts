/**
 * Differential check of our schemas against Apache Kafka's own message specs (the JSON files inside
 * kafka-clients-*.jar, resolved for the real-Kafka tests in test/real-kafka/lib). Field by field:
 * name, type shape, versions, nullable versions, tags, defaults; per API: version range and flexible
 * versions. Nothing from Kafka is committed: the jar is read at test time, and the test is skipped
 * when the jar or `unzip` is missing. Deliberate differences are listed in DIFFERENCES.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_APIS } from '../../src/protocol/apis/index.js';
import { type FieldSpec, PRIMITIVE_TYPES } from '../../src/protocol/schema/spec.js';

const LIB = fileURLToPath(new URL('../real-kafka/lib', import.meta.url));
const JAR = existsSync(LIB) ? readdirSync(LIB).find((f) => /^kafka-clients-[\d.]+\.jar$/.test(f)) : undefined;
const HAVE_UNZIP = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Where we knowingly differ from the Kafka version of the jar, and why. */
const DIFFERENCES: Record<string, { validVersions?: [number, number] }> = {
  // Kafka 4 dropped Produce v0-2 from its specs but still advertises v0 (KAFKA-18659); we still speak them.
  Produce: { validVersions: [0, 13] },
};

interface KafkaField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  tag?: number;
  taggedVersions?: string;
  default?: string | number | boolean;
  flexibleVersions?: string;
  fields?: KafkaField[];
}

interface KafkaMessage {
  apiKey: number;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: KafkaField[];
  commonStructs?: { name: string; fields: KafkaField[] }[];
}

function readKafkaMessage(name: string): KafkaMessage {
  const text = execFileSync('unzip', ['-p', join(LIB, JAR!), `common/message/${name}.json`], {
    encoding: 'utf8',
  });
  // Kafka's specs are JSON with whole-line // comments.
  const json = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('//'))
    .join('\n');
  return JSON.parse(json) as KafkaMessage;
}

function expectedDefault(k: KafkaField): unknown {
  if (k.default === undefined) return undefined;
  const d = String(k.default);
  if (d === 'null') return null;
  const base = k.type.replace(/^\[\]/, '');
  if (base === 'bool') return d === 'true';
  if (base === 'int64') return BigInt(d);
  if (['int8', 'int16', 'uint16', 'int32', 'uint32', 'float64'].includes(base)) return Number(d);
  return d;
}

function compareFields(
  ours: readonly FieldSpec[],
  theirs: readonly KafkaField[],
  common: Map<string, KafkaField[]>,
  where: string,
): void {
  expect(
    ours.map((f) => f.name),
    where,
  ).toEqual(theirs.map((k) => k.name[0]!.toLowerCase() + k.name.slice(1)));
  theirs.forEach((k, i) => {
    const f = ours[i]!;
    const at = `${where}.${f.name}`;
    const kArray = k.type.startsWith('[]');
    const kBase = kArray ? k.type.slice(2) : k.type;
    expect(f.type.startsWith('[]'), `${at} array`).toBe(kArray);
    const isPrimitive = (PRIMITIVE_TYPES as readonly string[]).includes(kBase);
    if (isPrimitive) expect(f.type, at).toBe(k.type);
    expect(f.versions, `${at} versions`).toBe(k.versions);
    expect(f.nullableVersions, `${at} nullableVersions`).toBe(k.nullableVersions);
    expect(f.tag, `${at} tag`).toBe(k.tag);
    expect(f.taggedVersions, `${at} taggedVersions`).toBe(k.taggedVersions);
    expect(f.flexibleVersions, `${at} flexibleVersions`).toBe(k.flexibleVersions);
    expect(f.default, `${at} default`).toEqual(expectedDefault(k));
    if (!isPrimitive) {
      const sub = k.fields ?? common.get(kBase);
      expect(sub, `${at}: Kafka struct ${kBase} not found`).toBeDefined();
      compareFields(f.fields ?? [], sub!, common, at);
    }
  });
}

function range(spec: string): [number, number] {
  const [lo, hi] = spec.split('-');
  return [Number(lo), Number(hi ?? lo)];
}

describe.skipIf(JAR === undefined || !HAVE_UNZIP)(
  `schemas match Apache Kafka's message specs (${JAR})`,
  () => {
    for (const api of ALL_APIS) {
      it(`${api.name} request and response`, () => {
        for (const direction of ['request', 'response'] as const) {
          const kafka = readKafkaMessage(`${api.name}${direction === 'request' ? 'Request' : 'Response'}`);
          expect(kafka.apiKey).toBe(api.apiKey);
          expect(api.validVersions).toEqual(
            DIFFERENCES[api.name]?.validVersions ?? range(kafka.validVersions),
          );
          expect(api.flexibleVersions).toBe(
            kafka.flexibleVersions === 'none' ? null : Number.parseInt(kafka.flexibleVersions, 10),
          );
          const common = new Map((kafka.commonStructs ?? []).map((s) => [s.name, s.fields]));
          compareFields(api[direction].fields, kafka.fields, common, kafka.name);
        }
      });
    }
  },
);
