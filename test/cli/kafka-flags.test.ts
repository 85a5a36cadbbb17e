// Unit tests of the CLI translation layers: kafka-topics.sh flags → service calls, Java client properties
// → connection security, time specs, topic input validation.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadColors } from '../../src/cli/color.js';
import { applySecurity, commandConfigSettings, parseJavaProperties } from '../../src/cli/command-config.js';
import type { Connection } from '../../src/cli/config.js';
import { translateTopicsFlags } from '../../src/cli/kafka-flags.js';
import { KtError } from '../../src/errors/kt-error.js';
import { predictAfter } from '../../src/ops/configs/alter.js';
import { parseTopicPartitions } from '../../src/ops/offsets/list.js';
import { parseTimeSpec } from '../../src/ops/offsets/time.js';
import { parseDeleteTarget } from '../../src/ops/records/delete.js';
import { type PartitionIssue, partitionIssues } from '../../src/ops/topics/describe.js';
import { parseConfigPairs, parseReplicaAssignment, topicNameProblem } from '../../src/ops/topics/input.js';
import { renderTopicDescriptions } from '../../src/ops/topics/render.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof KtError ? error.code : `not a KtError: ${String(error)}`;
  }
  return undefined;
}

describe('translateTopicsFlags()', () => {
  it('maps --create with Kafka flags to a create of one topic', () => {
    const action = translateTopicsFlags({
      create: true,
      topic: 'orders',
      partitions: 6,
      'replication-factor': 1,
      config: ['retention.ms=1000', 'cleanup.policy=compact'],
      'if-not-exists': true,
    });
    expect(action).toEqual({
      action: 'create',
      input: {
        names: ['orders'],
        partitions: 6,
        replicationFactor: 1,
        configs: { 'retention.ms': '1000', 'cleanup.policy': 'compact' },
        ifNotExists: true,
      },
    });
  });

  it('--list includes internal topics unless --exclude-internal, and --topic is a regex', () => {
    expect(translateTopicsFlags({ list: true })).toEqual({
      action: 'list',
      options: { includeInternal: true },
    });
    const action = translateTopicsFlags({ list: true, topic: 'ord.*', 'exclude-internal': true });
    expect(action.action).toBe('list');
    if (action.action !== 'list') return;
    expect(action.options.includeInternal).toBe(false);
    expect(action.options.regex?.test('orders')).toBe(true);
    expect(action.options.regex?.test('xorders')).toBe(false);
  });

  it('--describe --topic NAME selects that name exactly; a pattern becomes a regex', () => {
    expect(translateTopicsFlags({ describe: true, topic: 'a.b' })).toMatchObject({
      action: 'describe',
      options: { names: ['a.b'] },
    });
    const pattern = translateTopicsFlags({
      describe: true,
      topic: 'a.*',
      'under-replicated-partitions': true,
    });
    expect(pattern).toMatchObject({ action: 'describe', options: { issues: ['under-replicated'] } });
    if (pattern.action === 'describe') expect(pattern.options.regex?.source).toBe('^(?:a.*)$');
  });

  it('--alter and --delete need --topic; one action only; flags of other actions are rejected', () => {
    expect(codeOf(() => translateTopicsFlags({ alter: true, partitions: 3 }))).toBe('KT_USAGE');
    expect(codeOf(() => translateTopicsFlags({ delete: true }))).toBe('KT_USAGE');
    expect(codeOf(() => translateTopicsFlags({ list: true, describe: true }))).toBe('KT_USAGE');
    expect(codeOf(() => translateTopicsFlags({}))).toBe('KT_USAGE');
    expect(codeOf(() => translateTopicsFlags({ list: true, partitions: 3 }))).toBe('KT_USAGE');
    expect(codeOf(() => translateTopicsFlags({ create: true, topic: 't', config: ['novalue'] }))).toBe(
      'KT_USAGE',
    );
    expect(translateTopicsFlags({ alter: true, topic: 't', 'if-exists': true })).toEqual({
      action: 'alter',
      input: { name: 't', ifExists: true },
    });
    expect(translateTopicsFlags({ alter: true, topic: 't', partitions: 4 })).toEqual({
      action: 'alter',
      input: { name: 't', partitions: 4 },
    });
  });
});

describe('Java client properties (--command-config)', () => {
  it('parses separators, comments, continuations and escapes like java.util.Properties', () => {
    const props = parseJavaProperties(
      [
        '# comment',
        '! also a comment',
        'a=1',
        'b : 2',
        'c 3',
        'long = one, \\',
        '    two',
        'esc\\=key = tab\\there',
        'uni=\\u0041',
      ].join('\n'),
    );
    expect(Object.fromEntries(props)).toEqual({
      a: '1',
      b: '2',
      c: '3',
      long: 'one, two',
      'esc=key': 'tab\there',
      uni: 'A',
    });
  });

  it('maps SASL_SSL with SCRAM and PEM stores to kt settings', () => {
    const settings = commandConfigSettings(
      parseJavaProperties(
        [
          'bootstrap.servers=k1:9093,k2:9093',
          'security.protocol=SASL_SSL',
          'sasl.mechanism=SCRAM-SHA-512',
          'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="ops" password="p\\\\"w";',
          'ssl.truststore.type=PEM',
          'ssl.truststore.location=/etc/ca.pem',
          'ssl.keystore.type=PEM',
          'ssl.keystore.location=/etc/client.pem',
        ].join('\n'),
      ),
      'client.properties',
    );
    expect(settings).toEqual({
      bootstrapServers: ['k1:9093', 'k2:9093'],
      sasl: { mechanism: 'scram-sha-512', username: 'ops', password: 'p"w' },
      tls: { ca: '/etc/ca.pem', cert: '/etc/client.pem', key: '/etc/client.pem' },
    });
  });

  it('rejects what kt cannot honour with one KT_CONFIG error', () => {
    const bad = [
      'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=GSSAPI\nsasl.jaas.config=x',
      'security.protocol=SSL\nssl.truststore.location=/x.jks',
      'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN',
      'security.protocol=BOGUS',
    ];
    for (const text of bad) {
      expect(codeOf(() => commandConfigSettings(parseJavaProperties(text), 'f'))).toBe('KT_CONFIG');
    }
  });

  it('flags override the file, the file overrides the profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-cc-'));
    const file = join(dir, 'client.properties');
    writeFileSync(
      file,
      'bootstrap.servers=file:9092\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=x required username="u" password="p";\n',
    );
    const profile: Connection = {
      bootstrapServers: ['profile:9092'],
      source: 'profile',
      clientId: 'kt',
      tls: { ca: '/profile-ca.pem' },
    };
    const fromFile = applySecurity(profile, { commandConfig: file });
    expect(fromFile.bootstrapServers).toEqual(['file:9092']);
    expect(fromFile.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
    expect(fromFile.tls).toBeUndefined();
    const withFlags = applySecurity(
      { ...profile, source: 'flag', bootstrapServers: ['flag:9092'] },
      {
        commandConfig: file,
        saslMechanism: 'scram-sha-256',
        tlsCa: '/flag-ca.pem',
      },
    );
    expect(withFlags.bootstrapServers).toEqual(['flag:9092']);
    expect(withFlags.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 'p' });
    expect(withFlags.tls).toEqual({ ca: '/flag-ca.pem' });
    expect(codeOf(() => applySecurity(profile, { saslUsername: 'only-user' }))).toBe('KT_USAGE');
    // A password alone (KT_SASL_PASSWORD) fills in a configured login and is otherwise ignored.
    expect(applySecurity(profile, { saslPassword: 'env-secret' }).sasl).toBeUndefined();
    expect(applySecurity(fromFile, { saslPassword: 'env-secret' }).sasl).toEqual({
      mechanism: 'plain',
      username: 'u',
      password: 'env-secret',
    });
  });
});

describe('input parsing', () => {
  it('topic names follow Kafka’s rules', () => {
    for (const ok of ['a', 'orders.v1', 'A_b-c', 'x'.repeat(249), '...'])
      expect(topicNameProblem(ok)).toBeUndefined();
    for (const bad of ['', '.', '..', 'x'.repeat(250), 'a b', 'a/b', 'ä'])
      expect(topicNameProblem(bad)).toBeDefined();
  });

  it('time specs: names, Kafka numbers, epoch ms, ISO-8601, relative', () => {
    const now = Date.UTC(2026, 0, 2, 0, 0, 0);
    expect(parseTimeSpec('earliest', now).timestamp).toBe(-2n);
    expect(parseTimeSpec('-1', now).timestamp).toBe(-1n);
    expect(parseTimeSpec('max-timestamp', now).timestamp).toBe(-3n);
    expect(parseTimeSpec('1700000000000', now).timestamp).toBe(1700000000000n);
    expect(parseTimeSpec('2026-01-01T00:00:00Z', now).timestamp).toBe(BigInt(Date.UTC(2026, 0, 1)));
    expect(parseTimeSpec('2026-01-01T01:00:00', now).timestamp).toBe(BigInt(Date.UTC(2026, 0, 1, 1)));
    expect(parseTimeSpec('-1h', now).timestamp).toBe(BigInt(now - 3_600_000));
    expect(parseTimeSpec('-2d', now).timestamp).toBe(BigInt(now - 2 * 86_400_000));
    for (const bad of ['yesterday', '-1y', '2026-13-45', ''])
      expect(codeOf(() => parseTimeSpec(bad, now))).toBe('KT_USAGE');
  });

  it('config pairs, replica assignments, partition lists, delete targets', () => {
    expect(parseConfigPairs(['a=1', 'b=x=y'])).toEqual({ a: '1', b: 'x=y' });
    expect(codeOf(() => parseConfigPairs(['a=1', 'a=2']))).toBe('KT_USAGE');
    expect(parseReplicaAssignment('1:2,2:3')).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(codeOf(() => parseReplicaAssignment('1:2,3'))).toBe('KT_USAGE');
    expect(codeOf(() => parseReplicaAssignment('1:1'))).toBe('KT_USAGE');
    expect(parseTopicPartitions('t')).toEqual({ topic: 't' });
    expect(parseTopicPartitions('t:3,0-1')).toEqual({ topic: 't', partitions: [0, 1, 3] });
    expect(codeOf(() => parseTopicPartitions('t:x'))).toBe('KT_USAGE');
    expect(parseDeleteTarget('t:2=15')).toEqual({ topic: 't', partition: 2, offset: 15n });
    expect(parseDeleteTarget('t:0=latest')).toEqual({ topic: 't', partition: 0, offset: -1n });
    expect(codeOf(() => parseDeleteTarget('t=5'))).toBe('KT_USAGE');
  });

  it('predicts before → after for set, delete (with unit conversion), append and subtract', () => {
    const entry = {
      name: 'retention.ms',
      value: '1000',
      source: 'dynamic-topic' as const,
      readOnly: false,
      sensitive: false,
      synonyms: [
        { name: 'retention.ms', value: '1000', source: 'dynamic-topic' as const },
        { name: 'log.retention.hours', value: '168', source: 'default' as const },
      ],
    };
    expect(predictAfter(entry, { name: 'retention.ms', op: 'set', value: '5' }, 'dynamic-topic')).toBe('5');
    expect(predictAfter(entry, { name: 'retention.ms', op: 'delete', value: null }, 'dynamic-topic')).toBe(
      '604800000',
    );
    const list = { ...entry, name: 'cleanup.policy', value: 'delete', synonyms: [] };
    expect(
      predictAfter(list, { name: 'cleanup.policy', op: 'append', value: 'compact,delete' }, 'dynamic-topic'),
    ).toBe('delete,compact');
    expect(
      predictAfter(list, { name: 'cleanup.policy', op: 'subtract', value: 'delete' }, 'dynamic-topic'),
    ).toBe('');
  });
});

describe('topic health', () => {
  const base = { errorCode: 0, offline: [] as number[] };
  it('partitionIssues() follows kafka-topics.sh’s rules', () => {
    const live = new Set([1, 2, 3]);
    expect(
      partitionIssues({ ...base, partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] }, 2, live),
    ).toEqual([]);
    expect(
      partitionIssues({ ...base, partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2] }, 2, live),
    ).toEqual(['at-min-isr', 'under-replicated']);
    expect(
      partitionIssues({ ...base, partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1] }, 2, live),
    ).toEqual(['under-min-isr', 'under-replicated']);
    expect(
      partitionIssues({ ...base, partition: 0, leader: -1, replicas: [1, 2], isr: [] }, 1, live),
    ).toEqual(['unavailable', 'under-min-isr']);
    expect(partitionIssues({ ...base, partition: 0, leader: 4, replicas: [4], isr: [4] }, 1, live)).toEqual([
      'unavailable',
      'at-min-isr',
    ]);
  });

  it('colours unhealthy partitions on a terminal and not otherwise', async () => {
    const partition = (p: number, issues: PartitionIssue[]) => ({
      partition: p,
      leader: issues.includes('unavailable') ? null : 1,
      replicas: [1, 2],
      isr: [1],
      offline: [],
      logStartOffset: 0n,
      highWatermark: 5n,
      issues,
    });
    const data = {
      topics: [
        {
          name: 't',
          topicId: null,
          internal: false,
          partitionCount: 3,
          replicationFactor: 2,
          configs: {},
          partitions: [partition(0, []), partition(1, ['under-replicated']), partition(2, ['unavailable'])],
        },
      ],
    };
    const saved = { FORCE_COLOR: process.env.FORCE_COLOR, NO_COLOR: process.env.NO_COLOR };
    try {
      delete process.env.NO_COLOR;
      process.env.FORCE_COLOR = '1';
      await loadColors(); // what KtCommand.init does before any command renders
      const lines = renderTopicDescriptions(data).split('\n');
      expect(lines[2]).not.toContain('\u001b[');
      expect(lines[3]?.startsWith('\u001b[33m') && lines[3].includes('under-replicated')).toBe(true); // yellow
      expect(lines[4]?.startsWith('\u001b[31m') && /none.*unavailable/.test(lines[4])).toBe(true); // red
      process.env.NO_COLOR = '1';
      expect(renderTopicDescriptions(data)).not.toContain('\u001b[');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('flag surface', () => {
  it('the admin commands’ flags match fixtures/cli/admin-flags.json', async () => {
    const { commands } = await import('../../commands/index.js');
    const ids = Object.keys(commands)
      .filter((id) => /^(topics|configs|cluster|offsets|records)\b/.test(id))
      .sort();
    const surface = Object.fromEntries(
      ids.map((id) => {
        const cmd = commands[id]!;
        const flags = Object.keys({ ...(cmd.baseFlags ?? {}), ...(cmd.flags ?? {}) }).sort();
        return [id, flags];
      }),
    );
    const file = new URL('../../fixtures/cli/admin-flags.json', import.meta.url);
    if (process.env.KT_UPDATE_FIXTURES === '1' || !existsSync(file))
      writeFileSync(file, `${JSON.stringify(surface, null, 2)}\n`);
    expect(surface).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
