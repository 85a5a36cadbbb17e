/**
 * The base every command stands on (issue 2 §7): connection precedence flag > env > profile > default,
 * --output table|json|yaml with --json as an alias, one error line and exit codes 0/1/2, no colour
 * without a TTY or with NO_COLOR, --help and --version.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKt } from './run-kt.js';

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

let dir: string;
let env: Record<string, string | undefined>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kt-cli-'));
  env = { KT_CONFIG: join(dir, 'config.yaml'), KT_BOOTSTRAP_SERVER: undefined, KT_PROFILE: undefined };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function current(args: string[] = [], extraEnv: Record<string, string | undefined> = {}) {
  const result = await runKt(['profiles', 'current', '--json', ...args], { env: { ...env, ...extraEnv } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { bootstrapServers: string[]; source: string; profile: string | null };
}

describe('connection precedence', () => {
  it('falls back to 127.0.0.1:9092 with no flag, env or profile', async () => {
    expect(await current()).toMatchObject({
      bootstrapServers: ['127.0.0.1:9092'],
      source: 'default',
      profile: null,
    });
  });

  it('uses the current profile, then env over profile, then the flag over env', async () => {
    expect((await runKt(['profiles', 'set', 'p1', '-b', 'p1-host:9092'], { env })).code).toBe(0);
    expect((await runKt(['profiles', 'set', 'p2', '-b', 'p2-a:1,p2-b:2', '--use'], { env })).code).toBe(0);
    expect(await current()).toMatchObject({
      bootstrapServers: ['p2-a:1', 'p2-b:2'],
      source: 'profile',
      profile: 'p2',
    });
    expect(await current(['--profile', 'p1'])).toMatchObject({
      bootstrapServers: ['p1-host:9092'],
      profile: 'p1',
    });
    expect(await current([], { KT_PROFILE: 'p1' })).toMatchObject({ bootstrapServers: ['p1-host:9092'] });
    expect(await current([], { KT_BOOTSTRAP_SERVER: 'env-host:1' })).toMatchObject({
      bootstrapServers: ['env-host:1'],
      source: 'env',
    });
    expect(await current(['-b', 'flag-host:2'], { KT_BOOTSTRAP_SERVER: 'env-host:1' })).toMatchObject({
      bootstrapServers: ['flag-host:2'],
      source: 'flag',
    });
  });

  it('writes profiles to the YAML config file', async () => {
    await runKt(
      [
        'profiles',
        'set',
        'prod',
        '-b',
        'k1:9093',
        '--sasl-mechanism',
        'scram-sha-512',
        '--sasl-username',
        'ops',
        '--sasl-password',
        'pw',
        '--tls-ca',
        '/ca.pem',
      ],
      { env },
    );
    const file = parse(readFileSync(env.KT_CONFIG!, 'utf8'));
    expect(file).toEqual({
      currentProfile: 'prod',
      profiles: {
        prod: {
          bootstrapServers: ['k1:9093'],
          sasl: { mechanism: 'scram-sha-512', username: 'ops', password: 'pw' },
          tls: { ca: '/ca.pem' },
        },
      },
    });
  });
});

describe('output formats', () => {
  it('renders the same data as table, json and yaml', async () => {
    await runKt(['profiles', 'set', 'local', '-b', '127.0.0.1:9092'], { env });
    const table = await runKt(['profiles', 'list'], { env });
    expect(table.stdout.split('\n')[0]).toMatch(/^CURRENT\s+NAME\s+BOOTSTRAP-SERVERS\s+SASL\s+TLS$/);
    expect(table.stdout).toMatch(/\*\s+local\s+127\.0\.0\.1:9092/);
    const json = JSON.parse((await runKt(['profiles', 'list', '--output', 'json'], { env })).stdout);
    const yaml = parse((await runKt(['profiles', 'list', '-o', 'yaml'], { env })).stdout);
    expect(yaml).toEqual(json);
    expect(json).toEqual({
      configFile: env.KT_CONFIG,
      currentProfile: 'local',
      profiles: [
        { name: 'local', current: true, bootstrapServers: ['127.0.0.1:9092'], sasl: null, tls: false },
      ],
    });
  });

  it('rejects --json with a conflicting --output', async () => {
    const result = await runKt(['profiles', 'list', '--json', '-o', 'yaml'], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('errors and exit codes', () => {
  it('prints one error line on stderr, nothing on stdout, exit 1, no stack trace', async () => {
    const result = await runKt(['profiles', 'use', 'missing'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['Error: Profile "missing" does not exist']);
  });

  it('shows the stack trace with --debug and KT_DEBUG=1', async () => {
    const flag = await runKt(['profiles', 'use', 'missing', '--debug'], { env });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/\n\s+at /);
    const viaEnv = await runKt(['profiles', 'use', 'missing'], { env: { ...env, KT_DEBUG: '1' } });
    expect(viaEnv.stderr).toMatch(/\n\s+at /);
  });

  it('exits 2 on usage errors: unknown flag, bad option value, bad bootstrap, unknown command', async () => {
    for (const args of [
      ['profiles', 'list', '--bogus'],
      ['profiles', 'list', '--output', 'xml'],
      ['profiles', 'current', '-b', 'no-port'],
      ['no-such-command'],
    ]) {
      const result = await runKt(args, { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('prints no ANSI colour codes without a TTY, even when FORCE_COLOR is unset', async () => {
    const result = await runKt(['profiles', 'use', 'missing'], { env: { ...env, NO_COLOR: undefined } });
    expect(result.stderr).not.toMatch(ANSI);
  });

  it('honours NO_COLOR even when colour is forced', async () => {
    const forced = await runKt(['profiles', 'use', 'missing'], {
      env: { ...env, FORCE_COLOR: '1', NO_COLOR: undefined },
    });
    expect(forced.stderr).toMatch(ANSI);
    const none = await runKt(['profiles', 'use', 'missing'], {
      env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(none.stderr).not.toMatch(ANSI);
  });
});

describe('help and version', () => {
  it('kt --help lists the command topics and kt --version prints the version', async () => {
    const help = await runKt(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/profiles\s+Named connection profiles/);
    const version = await runKt(['--version'], { env });
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(version.stdout).toContain(`kt-kafka/${pkg.version}`);
  });
});
