/**
 * `kt mirror run --config FILE`: several flows in one YAML file (schema and example: docs/mirror-config.md).
 *
 *   clusters: { <alias>: { bootstrap: "h:9092" } | { profile: name } }
 *   flows:    [ { source, target, topics?, exclude?, rename?, groups?, groupsExclude?, syncGroupOffsets? } ]
 *   settings: { refreshIntervalS?, statsIntervalS?, checkpointIntervalS?, metricsPort? }
 *
 * The validator is strict: an unknown key, a wrong type, an unknown cluster or a bad regex is one
 * KT_USAGE error line naming the file, the path (`flows[1].topics`) and the line, because a mirror that
 * silently ignores a misspelt `exclude` copies what the operator meant to leave out. Flows that would
 * copy records around in a loop are refused before anything connects (see findCycle).
 */
import { readFile } from 'node:fs/promises';
import type { Document, LineCounter } from 'yaml';
import type { Connection } from '../cli/config.js';
import { configFilePath, parseBootstrap, readConfigFile } from '../cli/config.js';
import { yaml } from '../cli/lazy-yaml.js';
import { KtError } from '../errors/kt-error.js';
import { resolveEndpoint } from './endpoints.js';
import type { RenamePolicy } from './policy.js';
import type { MirrorOptions } from './run.js';

/** One entry of `clusters`, resolved: its alias (the key) and how to connect. */
export interface ClusterRef {
  alias: string;
  /** Exactly one of bootstrap and profile was given. */
  bootstrap?: string;
  profile?: string;
  /** Bootstrap servers and security settings, as resolveEndpoint gives them. */
  connection: Connection;
}

export interface MirrorFlowConfig {
  source: ClusterRef;
  target: ClusterRef;
  topics?: string;
  exclude?: string;
  /** Default 'prefix'. */
  rename: RenamePolicy;
  groups?: string;
  groupsExclude?: string;
  /** Default false. */
  syncGroupOffsets: boolean;
}

export interface MirrorSettings {
  refreshIntervalS?: number;
  statsIntervalS?: number;
  checkpointIntervalS?: number;
  metricsPort?: number;
}

export interface MirrorFileConfig {
  /** The file it was read from (for messages). */
  path: string;
  clusters: Record<string, ClusterRef>;
  flows: MirrorFlowConfig[];
  settings: MirrorSettings;
}

type Path = (string | number)[];

const TOP_KEYS = ['clusters', 'flows', 'settings'];
const CLUSTER_KEYS = ['bootstrap', 'profile'];
const FLOW_KEYS = [
  'source',
  'target',
  'topics',
  'exclude',
  'rename',
  'groups',
  'groupsExclude',
  'syncGroupOffsets',
];
const SETTING_KEYS = ['refreshIntervalS', 'statsIntervalS', 'checkpointIntervalS', 'metricsPort'] as const;
const RENAMES: readonly RenamePolicy[] = ['prefix', 'identity'];
/** Aliases become topic-name parts (`<alias>.<topic>`, `<alias>.checkpoints.internal`): same rule as the flags. */
const ALIAS = /^[A-Za-z0-9_-]+$/;

function pathText(path: Path): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

class Validator {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Throws the one-line usage error, with the line of the offending node when the file has it. */
  fail(path: Path, what: string): never {
    const node =
      path.length === 0 ? undefined : (this.doc.getIn(path, true) as { range?: number[] } | undefined);
    const offset = node?.range?.[0];
    const line = offset === undefined ? '' : ` (line ${this.lines.linePos(offset).line})`;
    const where = path.length === 0 ? '' : `${pathText(path)}${line}: `;
    throw new KtError('KT_USAGE', `--config ${this.file}: ${where}${what}`);
  }

  /** `keys` null: any key (the clusters mapping, keyed by alias). */
  mapping(value: unknown, path: Path, keys: readonly string[] | null): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, `expected a mapping, got ${describe(value)}`);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (keys !== null && !keys.includes(key))
        this.fail([...path, key], `unknown key "${key}" (expected one of: ${keys.join(', ')})`);
    }
    return record;
  }

  optionalString(record: Record<string, unknown>, key: string, path: Path): string | undefined {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value === '')
      this.fail([...path, key], `expected a non-empty string, got ${describe(value)}`);
    return value;
  }

  regex(record: Record<string, unknown>, key: string, path: Path): string | undefined {
    const value = this.optionalString(record, key, path);
    if (value === undefined) return undefined;
    try {
      new RegExp(`^(?:${value})$`);
    } catch (error) {
      this.fail([...path, key], `${JSON.stringify(value)} is not a valid regex: ${(error as Error).message}`);
    }
    return value;
  }

  integer(record: Record<string, unknown>, key: string, path: Path, min: number, max: number) {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      this.fail([...path, key], `expected an integer from ${min} to ${max}, got ${describe(value)}`);
    return value;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function resolveCluster(v: Validator, alias: string, raw: unknown, env: NodeJS.ProcessEnv): ClusterRef {
  const path = ['clusters', alias];
  if (!ALIAS.test(alias)) v.fail(path, `alias "${alias}": use letters, digits, '_' and '-' only`);
  const record = v.mapping(raw, path, CLUSTER_KEYS);
  const bootstrap = v.optionalString(record, 'bootstrap', path);
  const profile = v.optionalString(record, 'profile', path);
  if ((bootstrap === undefined) === (profile === undefined))
    v.fail(path, 'give exactly one of bootstrap and profile');
  if (profile !== undefined) {
    const known = Object.keys(readConfigFile(configFilePath(env)).profiles);
    if (!known.includes(profile))
      v.fail(
        [...path, 'profile'],
        `profile "${profile}" does not exist (${known.length ? `known: ${known.join(', ')}` : 'no profiles; create one with kt profiles set'})`,
      );
    return { alias, profile, connection: resolveEndpoint(profile, pathText(path), env) };
  }
  try {
    // Checked first so a bootstrap value never resolves as a same-named profile.
    parseBootstrap(bootstrap!);
  } catch {
    v.fail([...path, 'bootstrap'], `${JSON.stringify(bootstrap)} is not host:port[,host:port]`);
  }
  return { alias, bootstrap: bootstrap!, connection: resolveEndpoint(bootstrap!, pathText(path), env) };
}

function readFlow(
  v: Validator,
  raw: unknown,
  index: number,
  clusters: Record<string, ClusterRef>,
): MirrorFlowConfig {
  const path = ['flows', index];
  const record = v.mapping(raw, path, FLOW_KEYS);
  const side = (key: 'source' | 'target'): ClusterRef => {
    const name = v.optionalString(record, key, path);
    if (name === undefined) return v.fail(path, `${key} is required (a key of clusters)`);
    const ref = clusters[name];
    if (!ref)
      v.fail([...path, key], `unknown cluster "${name}" (clusters: ${Object.keys(clusters).join(', ')})`);
    return ref;
  };
  const flow: MirrorFlowConfig = {
    source: side('source'),
    target: side('target'),
    rename: 'prefix',
    syncGroupOffsets: false,
  };
  const rename = record.rename;
  if (rename !== undefined && rename !== null) {
    if (typeof rename !== 'string' || !RENAMES.includes(rename as RenamePolicy))
      v.fail([...path, 'rename'], `expected prefix or identity, got ${describe(rename)}`);
    flow.rename = rename as RenamePolicy;
  }
  const sync = record.syncGroupOffsets;
  if (sync !== undefined && sync !== null) {
    if (typeof sync !== 'boolean')
      v.fail([...path, 'syncGroupOffsets'], `expected true or false, got ${describe(sync)}`);
    flow.syncGroupOffsets = sync;
  }
  for (const key of ['topics', 'exclude', 'groups', 'groupsExclude'] as const) {
    const value = v.regex(record, key, path);
    if (value !== undefined) flow[key] = value;
  }
  if (flow.source.alias === flow.target.alias)
    v.fail(
      path,
      `source and target are both "${flow.source.alias}": a flow into itself copies its own copies`,
    );
  return flow;
}

/**
 * A loop records would travel, as flow indices, or undefined. The prefix policy's guard only skips
 * topics named `<target-alias>.*`, which stops exactly the two-flow loop A→B, B→A when both rename with
 * a prefix. Any loop with an identity flow (names carry no provenance) or through three or more
 * clusters (`C.B.A.t` does not start with `A.`) would copy records around forever.
 */
export function findCycle(flows: readonly MirrorFlowConfig[]): number[] | undefined {
  const out = new Map<string, number[]>();
  flows.forEach((f, i) => {
    out.set(f.source.alias, [...(out.get(f.source.alias) ?? []), i]);
  });
  const search = (start: string, at: string, trail: number[]): number[] | undefined => {
    for (const i of out.get(at) ?? []) {
      if (trail.includes(i)) continue;
      const next = flows[i]!.target.alias;
      const loop = [...trail, i];
      if (next === start) {
        const guarded = loop.length === 2 && loop.every((j) => flows[j]!.rename === 'prefix');
        if (!guarded) return loop;
        continue;
      }
      if (trail.some((j) => flows[j]!.source.alias === next)) continue;
      const found = search(start, next, loop);
      if (found) return found;
    }
    return undefined;
  };
  for (const start of out.keys()) {
    const found = search(start, start, []);
    if (found) return found;
  }
  return undefined;
}

/** Reads, validates and resolves a mirror config file. Every problem is one KT_USAGE line. */
export async function loadMirrorConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MirrorFileConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KtError(
      code === 'ENOENT' ? 'KT_USAGE' : 'KT_IO',
      `--config ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  const Y = yaml();
  const lines = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter: lines });
  const syntax = doc.errors[0];
  if (syntax) {
    // yaml's message is "<what> at line L, column C:" plus a multi-line excerpt: keep the first line.
    const first = syntax.message.split('\n')[0]!.replace(/:$/, '');
    throw new KtError('KT_USAGE', `--config ${path}: invalid YAML: ${first}`);
  }
  const v = new Validator(path, doc, lines);
  const top = v.mapping(doc.toJS() ?? {}, [], TOP_KEYS);
  if (top.clusters === undefined || top.clusters === null)
    v.fail([], 'clusters: required (alias → bootstrap or profile)');
  const clustersRaw = v.mapping(top.clusters, ['clusters'], null);
  if (Object.keys(clustersRaw).length === 0) v.fail(['clusters'], 'define at least one cluster');
  const clusters: Record<string, ClusterRef> = {};
  for (const [alias, raw] of Object.entries(clustersRaw))
    clusters[alias] = resolveCluster(v, alias, raw, env);

  if (top.flows === undefined || top.flows === null)
    v.fail([], 'flows: required (a list of source/target flows)');
  if (!Array.isArray(top.flows) || top.flows.length === 0)
    v.fail(['flows'], `expected a list of at least one flow, got ${describe(top.flows)}`);
  const flows = (top.flows as unknown[]).map((raw, i) => readFlow(v, raw, i, clusters));
  flows.forEach((f, i) => {
    const j = flows.findIndex((g) => g.source.alias === f.source.alias && g.target.alias === f.target.alias);
    if (j !== i)
      v.fail(
        ['flows', i],
        `repeats flows[${j}] (${f.source.alias} -> ${f.target.alias}): both would share one progress topic; combine their topics`,
      );
  });
  const cycle = findCycle(flows);
  if (cycle) {
    const route = [flows[cycle[0]!]!.source.alias, ...cycle.map((i) => flows[i]!.target.alias)].join(' -> ');
    v.fail(
      ['flows', cycle[0]!],
      `flows ${cycle.map((i) => `[${i}]`).join(', ')} copy records in a loop (${route}): only a two-cluster loop with rename prefix on both flows is safe`,
    );
  }

  const settings: MirrorSettings = {};
  if (top.settings !== undefined && top.settings !== null) {
    const raw = v.mapping(top.settings, ['settings'], SETTING_KEYS);
    for (const key of SETTING_KEYS) {
      const [min, max] = key === 'metricsPort' ? [1, 65_535] : [1, 86_400];
      const value = v.integer(raw, key, ['settings'], min, max);
      if (value !== undefined) settings[key] = value;
    }
  }
  return { path, clusters, flows, settings };
}

/** The runMirror options a flow and the settings give (the caller adds clients, signal and log). */
export function flowRunOptions(
  flow: MirrorFlowConfig,
  settings: MirrorSettings,
): Pick<
  MirrorOptions,
  'sourceAlias' | 'targetAlias' | 'topics' | 'exclude' | 'rename' | 'refreshIntervalMs' | 'statsIntervalMs'
> {
  return {
    sourceAlias: flow.source.alias,
    targetAlias: flow.target.alias,
    rename: flow.rename,
    ...(flow.topics !== undefined ? { topics: flow.topics } : {}),
    ...(flow.exclude !== undefined ? { exclude: flow.exclude } : {}),
    ...(settings.refreshIntervalS !== undefined
      ? { refreshIntervalMs: settings.refreshIntervalS * 1000 }
      : {}),
    ...(settings.statsIntervalS !== undefined ? { statsIntervalMs: settings.statsIntervalS * 1000 } : {}),
  };
}
