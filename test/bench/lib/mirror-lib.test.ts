// Unit tests of the mirror benchmark's pure helpers (no broker, no timing): the latency record format,
// the pre-fill batch sizing, the generated mm2.properties and the kcat pipe script.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../../src/protocol/record-batch.js';
import { latencyValue, PREFILL_BATCH_BYTES, recordsPerPrefillBatch, sentUsOf } from './mirror-kafka.js';
import { kcatPipeScript, mirrorMakerProperties } from './mirror-tools.js';

describe('latency record values', () => {
  it('carry their send time through padding and give it back', () => {
    const value = latencyValue(123_456_789, 100);
    expect(value.length).toBe(100);
    expect(Buffer.from(value).toString()).toMatch(/^123456789\.+$/);
    expect(sentUsOf(value)).toBe(123_456_789);
  });

  it('never cut the send time when the record size is smaller than its digits', () => {
    expect(sentUsOf(latencyValue(9_876_543_210, 4))).toBe(9_876_543_210);
  });

  it('tell probes, null values and overlong digit runs apart from latency records', () => {
    expect(sentUsOf(Buffer.from('probe'))).toBeUndefined();
    expect(sentUsOf(null)).toBeUndefined();
    expect(sentUsOf(Buffer.from('1'.repeat(17)))).toBeUndefined();
    expect(sentUsOf(new Uint8Array(0))).toBeUndefined();
  });
});

describe('pre-fill batches', () => {
  it.each([100, 1024, 20_000])(
    'of %i B records stay within the 16 KiB batch.size and fill most of it',
    (size) => {
      const n = recordsPerPrefillBatch(size);
      const batch = encodeRecordBatch(
        Array.from({ length: n }, () => ({ key: null, value: new Uint8Array(size).fill(65) })),
      );
      if (size < PREFILL_BATCH_BYTES) {
        expect(batch.length).toBeLessThanOrEqual(PREFILL_BATCH_BYTES);
        expect(batch.length).toBeGreaterThan(PREFILL_BATCH_BYTES * 0.9);
      } else {
        expect(n).toBe(1); // a record larger than batch.size goes alone, as the Java producer does
      }
    },
  );
});

describe('mm2.properties', () => {
  it('enables exactly the one flow with a task per partition and RF 1 internal topics', () => {
    const text = mirrorMakerProperties(
      { source: 'h:1', target: 'h:2', topic: 'my.topic', sourceAlias: 'src', targetAlias: 'dst' },
      6,
    );
    const props = new Map(
      text
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => l.split(' = ') as [string, string]),
    );
    expect(props.get('clusters')).toBe('src, dst');
    expect(props.get('src.bootstrap.servers')).toBe('h:1');
    expect(props.get('dst.bootstrap.servers')).toBe('h:2');
    expect(props.get('src->dst.enabled')).toBe('true');
    expect(props.get('dst->src.enabled')).toBe('false');
    // Java's Properties turns `\\.` into `\.`: the regex matches the literal dot only.
    expect(props.get('src->dst.topics')).toBe('my\\\\.topic');
    expect(props.get('tasks.max')).toBe('6');
    for (const key of [
      'replication.factor',
      'offset-syncs.topic.replication.factor',
      'offset.storage.replication.factor',
    ]) {
      expect(props.get(key)).toBe('1');
    }
  });
});

describe('kcat pipe script', () => {
  const base = {
    source: '127.0.0.1:1',
    target: '127.0.0.1:2',
    topic: 't',
    targetTopic: 'a.t',
    partitions: 6,
  };

  it('runs one partition-pinned pipe per partition; bulk consumers stop at the end', () => {
    const script = kcatPipeScript({ ...base, follow: false });
    for (let p = 0; p < 6; p++) {
      expect(script).toContain(`-t t -p ${p} -o beginning -e`);
      expect(script).toContain(`-t a.t -p ${p} &`);
    }
    expect(script).not.toContain(' -u');
    expect(spawnSync('bash', ['-n', '-c', script]).status).toBe(0);
  });

  it('follows unbuffered on both ends in the live phase', () => {
    const script = kcatPipeScript({ ...base, follow: true });
    expect(script.match(/-o beginning -u/g)).toHaveLength(6);
    expect(script.match(/-p \d -u &/g)).toHaveLength(6);
    expect(script).not.toContain(' -e ');
  });

  it('refuses arguments that would reach the shell', () => {
    expect(() => kcatPipeScript({ ...base, topic: 't; rm -rf /', follow: false })).toThrow(/unsafe/);
    expect(() => kcatPipeScript({ ...base, target: '$(id)', follow: false })).toThrow(/unsafe/);
  });
});
