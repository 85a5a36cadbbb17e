// kt produce and kt consume end to end (the built binary) on both targets: input forms, partitioning,
// the lossless JSONL round trip, positions, --exit, filters, output styles, bad input and broker limits.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createTopic, ktOn, parseJsonl, shell } from '../format/console-helpers.js';
import { describeClusters } from '../support/clusters.js';

describeClusters('kt produce / kt consume', (cluster) => {
  const kt = ktOn(cluster);

  it('produces lines with keys, headers and null markers; consume --output jsonl shows them exactly', async () => {
    const topic = cluster.uniqueTopic('basic');
    await createTopic(cluster.kafkajs(), topic, 1);
    const produced = await kt(
      ['produce', topic, '-K', ':', '--null-marker', 'NULL', '-H', 'h=1', '-H', 'h=2', '--print-offsets'],
      'k1:v1\nk2:NULL\nNULL:v3\n:\n',
    );
    expect(produced.stderr).toContain('Produced 4 records');
    expect(produced.code).toBe(0);
    expect(produced.stdout).toBe('0\t0\n0\t1\n0\t2\n0\t3\n');
    const consumed = await kt(['consume', topic, '--from-beginning', '--exit', '-o', 'jsonl']);
    expect(consumed.code).toBe(0);
    const lines = parseJsonl(consumed.stdout);
    expect(lines.map((l) => [l.offset, l.key, l.value])).toEqual([
      [0, { utf8: 'k1' }, { utf8: 'v1' }],
      [1, { utf8: 'k2' }, null],
      [2, null, { utf8: 'v3' }],
      [3, { utf8: '' }, { utf8: '' }],
    ]);
    expect(lines[0]!.headers).toEqual([
      { key: 'h', value: { utf8: '1' } },
      { key: 'h', value: { utf8: '2' } },
    ]);
    expect(lines[0]).toMatchObject({ v: 1, topic, partition: 0, timestampType: 'create' });
    expect(consumed.stderr).toContain('Consumed 4 records');
  });

  it('copies a topic byte for byte through the JSONL pipe (binary, empty, null, duplicate headers, partitions)', async () => {
    const source = cluster.uniqueTopic('copy-src');
    const target = cluster.uniqueTopic('copy-dst');
    await createTopic(cluster.kafkajs(), source, 3);
    await createTopic(cluster.kafkajs(), target, 3);
    const b64 = (bytes: number[]) => ({ base64: Buffer.from(bytes).toString('base64') });
    const input = [
      { partition: 0, key: b64([0, 0xff, 0xfe]), value: b64([0xc3, 0x28, 0, 10]), headers: [] },
      {
        partition: 1,
        key: null,
        value: { utf8: '' },
        headers: [
          { key: 'd', value: null },
          { key: 'd', value: { utf8: 'x' } },
        ],
      },
      { partition: 2, key: { utf8: 'k' }, value: null, headers: [{ key: 'bin', value: b64([0x80]) }] },
      { partition: 2, key: { utf8: '' }, value: { utf8: 'línea\nwith newline' }, headers: [] },
    ];
    const seeded = await kt(
      ['produce', source, '--input', 'jsonl'],
      `${input.map((r) => JSON.stringify(r)).join('\n')}\n`,
    );
    expect(seeded.code).toBe(0);
    const piped = await shell(
      `set -o pipefail; $KT consume ${source} --from-beginning --exit -o jsonl | $KT produce ${target} --input jsonl`,
      { KT_BOOTSTRAP_SERVER: cluster.bootstrap, KT_CONFIG: '/nonexistent' },
    );
    expect(piped.stderr).toContain('Produced 4 records');
    expect(piped.code).toBe(0);
    const read = async (topic: string) =>
      parseJsonl((await kt(['consume', topic, '--from-beginning', '--exit', '-o', 'jsonl'])).stdout)
        .map(({ partition, offset, timestamp, key, value, headers }) => ({
          partition,
          offset,
          timestamp,
          key,
          value,
          headers,
        }))
        .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    const [a, b] = [await read(source), await read(target)];
    expect(a).toHaveLength(4);
    expect(b).toEqual(a);
    expect(a.map((r) => r.key)).toEqual(input.map((r) => r.key));
    expect(a.map((r) => r.value)).toEqual(input.map((r) => r.value));
  });

  it('--exit terminates on an empty topic and with idle partitions', async () => {
    const empty = cluster.uniqueTopic('empty');
    await createTopic(cluster.kafkajs(), empty, 3);
    const none = await kt(['consume', empty, '--from-beginning', '--exit'], undefined, 20_000);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Consumed 0 records');
    const idle = cluster.uniqueTopic('idle');
    await createTopic(cluster.kafkajs(), idle, 4);
    await kt(['produce', idle, '--partition', '2'], 'a\nb\nc\n');
    const some = await kt(['consume', idle, '--from-beginning', '--exit'], undefined, 20_000);
    expect(some.code).toBe(0);
    expect(some.stdout).toBe('a\nb\nc\n');
  });

  it('keyed records land where murmur2 puts them; round-robin spreads keyless ones', async () => {
    const topic = cluster.uniqueTopic('murmur');
    await createTopic(cluster.kafkajs(), topic, 6);
    const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
    await kt(['produce', topic, '-K', '=', '--print-offsets'], keys.map((k) => `${k}=v`).join('\n'));
    const out = await kt(['consume', topic, '--from-beginning', '--exit', '--format', '%k %p\\n']);
    const { murmur2Partition } = await import('../../src/format/murmur2.js');
    const seen = new Map(
      out.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );
    expect(seen.size).toBe(30);
    for (const k of keys) expect(Number(seen.get(k))).toBe(murmur2Partition(Buffer.from(k), 6));
    const rr = cluster.uniqueTopic('rr');
    await createTopic(cluster.kafkajs(), rr, 3);
    const offsets = await kt(
      ['produce', rr, '--partitioner', 'round-robin', '--print-offsets', '--linger-ms', '0'],
      'a\nb\nc\nd\ne\nf\n',
    );
    const partitions = offsets.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    expect(new Set(partitions)).toEqual(new Set(['0', '1', '2']));
  });

  it('positions: --offset -N, N:M, --partition, --max-messages, @time', async () => {
    const topic = cluster.uniqueTopic('pos');
    await createTopic(cluster.kafkajs(), topic, 2);
    await kt(
      ['produce', topic, '--partition', '0'],
      Array.from({ length: 10 }, (_, i) => `p0-${i}`).join('\n'),
    );
    await kt(['produce', topic, '--partition', '1'], 'p1-0\np1-1\n');
    const last = await kt(['consume', topic, '--offset', '-2', '--exit', '--partition', '0']);
    expect(last.stdout).toBe('p0-8\np0-9\n');
    const window = await kt(['consume', topic, '--offset', '3:5', '--partition', '0']);
    expect(window.stdout).toBe('p0-3\np0-4\n');
    const capped = await kt([
      'consume',
      topic,
      '--from-beginning',
      '--max-messages',
      '3',
      '--partition',
      '0',
    ]);
    expect(capped.stdout).toBe('p0-0\np0-1\np0-2\n');
    const toEnd = await kt(['consume', topic, '--offset', ':end', '--partition', '1']);
    expect(toEnd.stdout).toBe('p1-0\np1-1\n');
    const future = await kt(['consume', topic, '--offset', '@+1h', '--exit']);
    expect(future.stdout).toBe('');
    const past = await kt(['consume', topic, '--offset', '@-1h', '--exit', '--partition', '1']);
    expect(past.stdout).toBe('p1-0\np1-1\n');
  });

  it('filters (AND, negation, headers) and console-style printing', async () => {
    const topic = cluster.uniqueTopic('filter');
    await createTopic(cluster.kafkajs(), topic, 1);
    await kt(['produce', topic, '--format', '%k|%h{type}|%v'], 'a|refund|one\nb|sale|two\nc|refund|three\n');
    const refunds = await kt([
      'consume',
      topic,
      '--from-beginning',
      '--exit',
      '--filter',
      'header:type=^refund$',
      '--filter',
      '!key:^c$',
    ]);
    expect(refunds.stdout).toBe('one\n');
    const printed = await kt([
      'consume',
      topic,
      '--from-beginning',
      '--exit',
      '--print-key',
      '--print-offset',
      '--print-headers',
      '--max-messages',
      '1',
    ]);
    expect(printed.stdout).toBe('Offset:0\ttype:refund\ta\tone\n');
  });

  it('a closed stdout ends consume quietly with exit 0', async () => {
    const topic = cluster.uniqueTopic('epipe');
    await createTopic(cluster.kafkajs(), topic, 1);
    await kt(['produce', topic], Array.from({ length: 20_000 }, (_, i) => `line-${i}`).join('\n'));
    const r = await shell(`$KT consume ${topic} --from-beginning | head -n 2; echo "kt=\${PIPESTATUS[0]}"`, {
      KT_BOOTSTRAP_SERVER: cluster.bootstrap,
      KT_CONFIG: '/nonexistent',
    });
    expect(r.stdout).toBe('line-0\nline-1\nkt=0\n');
    expect(r.stderr).toBe('');
  });

  it('bad input: one clear error naming the line or flag, non-zero exit, nothing written', async () => {
    const topic = cluster.uniqueTopic('bad');
    await createTopic(cluster.kafkajs(), topic, 1);
    const jsonl = await kt(
      ['produce', topic, '--input', 'jsonl'],
      '{"value":"ok"}\n{"value":{"base64":"%%"}}\n',
    );
    expect(jsonl.code).toBe(1);
    expect(jsonl.stderr).toMatch(/line 2: value: invalid base64/);
    const sep = await kt(['produce', topic, '-K', ':'], 'a:1\nno separator\n');
    expect(sep.code).toBe(1);
    expect(sep.stderr).toMatch(/line 2: no key separator ":"/);
    const verb = await kt(['produce', topic, '--format', '%k %z'], 'x\n');
    expect(verb.code).toBe(2);
    expect(verb.stderr).toMatch(/--format: unknown verb %z/);
    const consumeVerb = await kt(['consume', topic, '--format', '%z']);
    expect(consumeVerb.code).toBe(2);
    const unknown = await kt(['produce', `${topic}-missing`], 'x\n');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/topic .*-missing does not exist/);
    const unknownConsume = await kt(['consume', `${topic}-missing`, '--exit']);
    expect(unknownConsume.code).toBe(1);
    expect(unknownConsume.stderr).toMatch(/does not exist/);
    const after = await kt(['consume', topic, '--from-beginning', '--exit']);
    expect(after.stdout).toBe('');
  });

  it('a record over max.message.bytes fails with its line number; the others are delivered; exit 1', async () => {
    const topic = cluster.uniqueTopic('limit');
    await createTopic(cluster.kafkajs(), topic, 1, [{ name: 'max.message.bytes', value: '2000' }]);
    const r = await kt(['produce', topic], `small-1\n${'x'.repeat(5000)}\nsmall-3\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2 .*MESSAGE_TOO_LARGE/);
    expect(r.stderr).toContain('1 failed');
    const back = await kt(['consume', topic, '--from-beginning', '--exit']);
    expect(back.stdout).toBe('small-1\nsmall-3\n');
  });

  it('compression codecs, acks, idempotence and --whole-file', async () => {
    const topic = cluster.uniqueTopic('codecs');
    await createTopic(cluster.kafkajs(), topic, 2);
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
      const r = await kt(['produce', topic, '-z', codec, '--idempotent'], `${codec}-a\n${codec}-b\n`);
      expect(r.code, r.stderr).toBe(0);
    }
    const acks0 = await kt(
      ['produce', topic, '--acks', '0', '--partition', '1', '--print-offsets'],
      'fire\n',
    );
    expect(acks0.stdout).toBe('1\t-1\n');
    const whole = await kt(['produce', topic, '--whole-file', '--partition', '0'], 'multi\nline\n');
    expect(whole.code).toBe(0);
    const all = await kt(['consume', topic, '--from-beginning', '--exit', '--format', '%v|']);
    const values = all.stdout.split('|').filter((v) => v !== '');
    expect(values.sort()).toEqual(
      [
        'gzip-a',
        'gzip-b',
        'snappy-a',
        'snappy-b',
        'lz4-a',
        'lz4-b',
        'zstd-a',
        'zstd-b',
        'fire',
        'multi\nline\n',
      ].sort(),
    );
  });

  it('progress line on stderr only when stderr is a TTY; data never on stderr', async () => {
    const topic = cluster.uniqueTopic('progress');
    await createTopic(cluster.kafkajs(), topic, 1);
    const file = join(tmpdir(), `kt-progress-${process.pid}-${Date.now()}.txt`);
    writeFileSync(file, 'a\nb\nc\n');
    const piped = await kt(['produce', topic, '--file', file]);
    expect(piped.stderr).not.toContain('\r');
    expect(piped.stderr).toMatch(/^Produced 3 records/);
    // util-linux script(1) gives the command a pseudo-terminal for all of its stdio.
    const tty = await shell(`script -qec "$KT produce ${topic} --file ${file}" /dev/null`, {
      KT_BOOTSTRAP_SERVER: cluster.bootstrap,
      KT_CONFIG: '/nonexistent',
    });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/\r3 records, 0\.0 MB, \d+ records\/s/);
    expect(tty.stdout).toContain('Produced 3 records');
  });
});
