// `kt mirror run --config FILE`: a valid file resolves every flow's clusters (bootstrap or profile with
// its security settings); each class of mistake is one KT_USAGE line naming the path and line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveProfile } from '../../src/cli/config.js';
import { KtError } from '../../src/errors/kt-error.js';
import { findCycle, flowRunOptions, loadMirrorConfig } from '../../src/mirror/config-file.js';

const dir = mkdtempSync(join(tmpdir(), 'kt-mirror-config-'));
const ktConfig = join(dir, 'kt.yaml');
const env = { KT_CONFIG: ktConfig };
saveProfile(
  'prod-west',
  {
    bootstrapServers: ['west-1:9093', 'west-2:9093'],
    sasl: { mechanism: 'scram-sha-512', username: 'mirror', password: 'secret' },
    tls: { ca: '/etc/ca.pem' },
  },
  { path: ktConfig },
);
saveProfile('prod-eu', { bootstrapServers: ['eu-1:9092'] }, { path: ktConfig });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const path = join(dir, `mirror-${n++}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** The one error a bad file gives: a KT_USAGE KtError on a single line. */
async function usageError(text: string): Promise<string> {
  const error = await loadMirrorConfig(file(text), env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KtError);
  const e = error as KtError;
  expect(e.code).toBe('KT_USAGE');
  expect(e.message).not.toContain('\n');
  return e.message;
}

const CLUSTERS = `clusters:
  east: { bootstrap: "east-1:9092,east-2:9092" }
  west: { profile: prod-west }
`;

describe('loadMirrorConfig', () => {
  it('reads a valid file: clusters resolved, defaults filled, settings kept', async () => {
    const path = file(`${CLUSTERS}flows:
  - source: east
    target: west
    topics: "orders|payments"
    exclude: "tmp-.*"
    groups: ".*"
    groupsExclude: "console-consumer-.*"
    syncGroupOffsets: true
  - source: west
    target: east
    rename: prefix
settings:
  refreshIntervalS: 30
  statsIntervalS: 10
  checkpointIntervalS: 5
  metricsPort: 9404
`);
    const config = await loadMirrorConfig(path, env);
    expect(config.path).toBe(path);
    expect(Object.keys(config.clusters)).toEqual(['east', 'west']);
    const [first, second] = config.flows;
    expect(first?.source.alias).toBe('east');
    expect(first?.source.bootstrap).toBe('east-1:9092,east-2:9092');
    expect(first?.source.connection.bootstrapServers).toEqual(['east-1:9092', 'east-2:9092']);
    expect(first?.source.connection.sasl).toBeUndefined();
    // A profile brings its security settings along.
    expect(first?.target.profile).toBe('prod-west');
    expect(first?.target.connection.bootstrapServers).toEqual(['west-1:9093', 'west-2:9093']);
    expect(first?.target.connection.sasl?.mechanism).toBe('scram-sha-512');
    expect(first?.target.connection.tls?.ca).toBe('/etc/ca.pem');
    expect(first).toMatchObject({
      topics: 'orders|payments',
      exclude: 'tmp-.*',
      groups: '.*',
      groupsExclude: 'console-consumer-.*',
      rename: 'prefix',
      syncGroupOffsets: true,
    });
    expect(second).toMatchObject({ rename: 'prefix', syncGroupOffsets: false });
    expect(second?.topics).toBeUndefined();
    expect(config.settings).toEqual({
      refreshIntervalS: 30,
      statsIntervalS: 10,
      checkpointIntervalS: 5,
      metricsPort: 9404,
    });
    expect(flowRunOptions(first!, config.settings)).toEqual({
      sourceAlias: 'east',
      targetAlias: 'west',
      rename: 'prefix',
      topics: 'orders|payments',
      exclude: 'tmp-.*',
      refreshIntervalMs: 30_000,
      statsIntervalMs: 10_000,
    });
    expect(flowRunOptions(second!, {})).toEqual({
      sourceAlias: 'west',
      targetAlias: 'east',
      rename: 'prefix',
    });
  });

  it('loads the example in docs/mirror-config.md', async () => {
    const doc = readFileSync(new URL('../../docs/mirror-config.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const config = await loadMirrorConfig(file(example!), env);
    expect(config.flows.map((f) => `${f.source.alias}->${f.target.alias}:${f.rename}`)).toEqual([
      'east->west:prefix',
      'west->east:prefix',
      'east->eu:identity',
    ]);
    expect(config.settings.metricsPort).toBe(9404);
  });

  it('a YAML syntax error is one line with its line number', async () => {
    const message = await usageError(`${CLUSTERS}flows:\n  - source: [east\n    target: west\n`);
    expect(message).toMatch(/invalid YAML: .* at line \d+, column \d+$/);
    expect(await usageError('clusters: {}\nclusters: {}\n')).toMatch(
      /invalid YAML: Map keys must be unique at line 2/,
    );
  });

  it('names the path and line of an unknown key or a wrong type', async () => {
    const flows = `flows:
  - source: east
    target: west
  - source: west
    target: east
`;
    expect(await usageError(`${CLUSTERS}${flows}    topic: orders\n`)).toMatch(
      /: flows\[1\]\.topic \(line 9\): unknown key "topic" \(expected one of: source, target, topics,/,
    );
    expect(await usageError(`${CLUSTERS}${flows}    topics: 5\n`)).toBe(
      `--config ${join(dir, `mirror-${n - 1}.yaml`)}: flows[1].topics (line 9): expected a non-empty string, got number 5`,
    );
    expect(await usageError(`${CLUSTERS}${flows}extra: 1\n`)).toMatch(
      /extra \(line 9\): unknown key "extra"/,
    );
    expect(await usageError(`${CLUSTERS}${flows}    syncGroupOffsets: "yes"\n`)).toMatch(
      /flows\[1\]\.syncGroupOffsets \(line 9\): expected true or false, got string "yes"/,
    );
    expect(await usageError(`${CLUSTERS}${flows}    rename: suffix\n`)).toMatch(
      /flows\[1\]\.rename \(line 9\): expected prefix or identity/,
    );
    expect(await usageError(`${CLUSTERS}${flows}    exclude: "tmp-("\n`)).toMatch(
      /flows\[1\]\.exclude \(line 9\): "tmp-\(" is not a valid regex/,
    );
    expect(await usageError(`${CLUSTERS}flows: east\n`)).toMatch(
      /flows \(line 4\): expected a list of at least one flow, got string "east"/,
    );
    expect(await usageError(`${CLUSTERS}flows:\n  - east\n`)).toMatch(
      /flows\[0\] \(line 5\): expected a mapping/,
    );
    expect(await usageError(`${CLUSTERS}${flows}settings:\n  refreshIntervalS: 0\n`)).toMatch(
      /settings\.refreshIntervalS \(line 10\): expected an integer from 1 to 86400, got number 0/,
    );
    expect(await usageError(`${CLUSTERS}${flows}settings:\n  metricsPort: 70000\n`)).toMatch(
      /settings\.metricsPort \(line 10\): expected an integer from 1 to 65535/,
    );
    expect(await usageError(`${CLUSTERS}${flows}settings:\n  refreshInterval: 5\n`)).toMatch(
      /settings\.refreshInterval \(line 10\): unknown key/,
    );
  });

  it('checks clusters: exactly one of bootstrap/profile, known profiles, valid addresses and aliases', async () => {
    const flow = 'flows:\n  - { source: east, target: west }\n';
    expect(
      await usageError(
        `clusters:\n  east: { bootstrap: "h:1", profile: prod-west }\n  west: { bootstrap: "h:2" }\n${flow}`,
      ),
    ).toMatch(/clusters\.east \(line 2\): give exactly one of bootstrap and profile/);
    expect(await usageError(`clusters:\n  east: {}\n  west: { bootstrap: "h:2" }\n${flow}`)).toMatch(
      /clusters\.east \(line 2\): give exactly one/,
    );
    expect(
      await usageError(`clusters:\n  east: { profile: nope }\n  west: { bootstrap: "h:2" }\n${flow}`),
    ).toMatch(
      /clusters\.east\.profile \(line 2\): profile "nope" does not exist \(known: prod-west, prod-eu\)/,
    );
    expect(
      await usageError(`clusters:\n  east: { bootstrap: "no-port" }\n  west: { bootstrap: "h:2" }\n${flow}`),
    ).toMatch(/clusters\.east\.bootstrap \(line 2\): "no-port" is not host:port/);
    // A profile name is not a bootstrap address, even though --source would accept either.
    expect(
      await usageError(`clusters:\n  east: { bootstrap: prod-west }\n  west: { bootstrap: "h:2" }\n${flow}`),
    ).toMatch(/clusters\.east\.bootstrap \(line 2\): "prod-west" is not host:port/);
    expect(await usageError(`clusters:\n  "us.east": { bootstrap: "h:1" }\n${flow}`)).toMatch(
      /clusters\.us\.east \(line 2\): alias "us\.east": use letters, digits/,
    );
    expect(await usageError(`clusters:\n  east: { bootstrap: "h:1" }\n${flow}`)).toMatch(
      /flows\[0\]\.target \(line 4\): unknown cluster "west" \(clusters: east\)/,
    );
    expect(await usageError(`clusters:\n  east: { bootstrap: "h:1", port: 1 }\n${flow}`)).toMatch(
      /clusters\.east\.port \(line 2\): unknown key "port" \(expected one of: bootstrap, profile\)/,
    );
    expect(await usageError(flow)).toMatch(/: clusters: required/);
    expect(await usageError(CLUSTERS)).toMatch(/: flows: required/);
    expect(await usageError(`${CLUSTERS}flows:\n  - { target: west }\n`)).toMatch(
      /flows\[0\] \(line 5\): source is required/,
    );
  });

  it('refuses flows that would copy records in a loop, and repeated flows', async () => {
    expect(await usageError(`${CLUSTERS}flows:\n  - { source: east, target: east }\n`)).toMatch(
      /flows\[0\] \(line 5\): source and target are both "east"/,
    );
    expect(
      await usageError(
        `${CLUSTERS}flows:\n  - { source: east, target: west, rename: identity }\n  - { source: west, target: east }\n`,
      ),
    ).toMatch(/flows \[0\], \[1\] copy records in a loop \(east -> west -> east\)/);
    const three = `clusters:
  a: { bootstrap: "h:1" }
  b: { bootstrap: "h:2" }
  c: { bootstrap: "h:3" }
flows:
  - { source: a, target: b }
  - { source: b, target: c }
  - { source: c, target: a }
`;
    expect(await usageError(three)).toMatch(/copy records in a loop \(a -> b -> c -> a\)/);
    expect(
      await usageError(
        `${CLUSTERS}flows:\n  - { source: east, target: west }\n  - { source: east, target: west, topics: x }\n`,
      ),
    ).toMatch(/flows\[1\] \(line 6\): repeats flows\[0\] \(east -> west\)/);
  });

  it('a missing file is a usage error', async () => {
    const error = await loadMirrorConfig(join(dir, 'absent.yaml'), env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KtError);
    expect((error as KtError).code).toBe('KT_USAGE');
    expect((error as KtError).message).toMatch(/absent\.yaml: no such file/);
  });
});

describe('findCycle', () => {
  const ref = (alias: string) => ({
    alias,
    connection: { bootstrapServers: ['h:1'], clientId: 'kt', source: 'flag' as const },
  });
  const flow = (s: string, t: string, rename: 'prefix' | 'identity' = 'prefix') => ({
    source: ref(s),
    target: ref(t),
    rename,
    syncGroupOffsets: false,
  });
  it('allows chains, fan-out and the prefixed two-cluster loop; finds the others', () => {
    expect(findCycle([flow('a', 'b'), flow('b', 'c'), flow('a', 'c')])).toBeUndefined();
    expect(findCycle([flow('a', 'b'), flow('b', 'a')])).toBeUndefined();
    expect(findCycle([flow('a', 'b', 'identity'), flow('b', 'c', 'identity')])).toBeUndefined();
    expect(findCycle([flow('a', 'b'), flow('b', 'a', 'identity')])).toEqual([0, 1]);
    expect(findCycle([flow('x', 'y'), flow('a', 'b'), flow('b', 'c'), flow('c', 'a')])).toEqual([1, 2, 3]);
    // A prefixed pair inside a larger graph with a loop elsewhere.
    expect(findCycle([flow('a', 'b'), flow('b', 'a'), flow('b', 'c'), flow('c', 'a')])).toEqual([0, 2, 3]);
  });
});
