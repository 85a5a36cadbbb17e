/**
 * Connection profiles and where a command connects.
 *
 * The config file is YAML at $KT_CONFIG, else $XDG_CONFIG_HOME/kt/config.yaml, else
 * ~/.config/kt/config.yaml:
 *
 *   currentProfile: local
 *   profiles:
 *     local:
 *       bootstrapServers: [127.0.0.1:9092]
 *     prod:
 *       bootstrapServers: [kafka-1.example:9093, kafka-2.example:9093]
 *       sasl: { mechanism: scram-sha-512, username: ops, password: ... }
 *       tls: { ca: /etc/kafka/ca.pem }
 *
 * Precedence for the bootstrap servers: --bootstrap-server flag > KT_BOOTSTRAP_SERVER > the profile
 * (--profile flag, else KT_PROFILE, else currentProfile) > 127.0.0.1:9092.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { KtError } from '../errors/kt-error.js';
import { yaml } from './lazy-yaml.js';

export const DEFAULT_BOOTSTRAP = '127.0.0.1:9092';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface SaslSettings {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface TlsSettings {
  /** PEM file of the CA(s) that signed the brokers' certificates. */
  ca?: string;
  /** PEM client certificate and key, for mTLS. */
  cert?: string;
  key?: string;
  /** Verify broker certificates (default true). */
  rejectUnauthorized?: boolean;
}

export interface Profile {
  bootstrapServers: string[];
  clientId?: string;
  sasl?: SaslSettings;
  tls?: TlsSettings;
}

export interface KtConfigFile {
  currentProfile?: string;
  profiles: Record<string, Profile>;
}

export type ConnectionSource = 'flag' | 'env' | 'profile' | 'default';

export interface Connection {
  bootstrapServers: string[];
  source: ConnectionSource;
  /** The profile the settings came from, if any (security settings come from it even when -b is given). */
  profile?: string;
  clientId: string;
  sasl?: SaslSettings;
  tls?: TlsSettings;
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KT_CONFIG) return env.KT_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'kt', 'config.yaml');
}

/** Splits "h1:9092,h2:9092" and validates each host:port. */
export function parseBootstrap(value: string): string[] {
  const servers = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (servers.length === 0) throw new KtError('KT_USAGE', 'Bootstrap server list is empty');
  for (const server of servers) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(server);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      throw new KtError('KT_USAGE', `Invalid bootstrap server "${server}": expected host:port`);
    }
  }
  return servers;
}

export function readConfigFile(path = configFilePath()): KtConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new KtError('KT_CONFIG', `Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = yaml().parse(text);
  } catch (error) {
    throw new KtError('KT_CONFIG', `Config file ${path} is not valid YAML: ${(error as Error).message}`);
  }
  return validateConfig(data ?? {}, path);
}

function validateConfig(data: unknown, path: string): KtConfigFile {
  const fail = (what: string): never => {
    throw new KtError('KT_CONFIG', `Config file ${path}: ${what}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('expected a mapping');
  const raw = data as Record<string, unknown>;
  const profilesRaw = raw.profiles ?? {};
  if (typeof profilesRaw !== 'object' || profilesRaw === null || Array.isArray(profilesRaw)) {
    return fail('"profiles" must be a mapping');
  }
  const profiles: Record<string, Profile> = {};
  for (const [name, value] of Object.entries(profilesRaw as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) return fail(`profile "${name}" must be a mapping`);
    const p = value as Record<string, unknown>;
    const servers = p.bootstrapServers;
    const list = typeof servers === 'string' ? parseBootstrap(servers) : servers;
    if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string')) {
      return fail(`profile "${name}" needs bootstrapServers (a list of host:port)`);
    }
    const profile: Profile = { bootstrapServers: list as string[] };
    if (typeof p.clientId === 'string') profile.clientId = p.clientId;
    if (p.sasl !== undefined) profile.sasl = p.sasl as SaslSettings;
    if (p.tls !== undefined) profile.tls = p.tls as TlsSettings;
    profiles[name] = profile;
  }
  const config: KtConfigFile = { profiles };
  if (typeof raw.currentProfile === 'string') config.currentProfile = raw.currentProfile;
  return config;
}

/** Writes the config file atomically (temp file + rename), creating its folder. */
export function writeConfigFile(config: KtConfigFile, path = configFilePath()): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, yaml().stringify(config), { mode: 0o600 });
  renameSync(temp, path);
}

/** Adds or replaces a profile; makes it current when there is no current profile or `makeCurrent`. */
export function saveProfile(
  name: string,
  profile: Profile,
  options: { makeCurrent?: boolean; path?: string } = {},
) {
  const path = options.path ?? configFilePath();
  const config = readConfigFile(path);
  config.profiles[name] = profile;
  if (options.makeCurrent || config.currentProfile === undefined) config.currentProfile = name;
  writeConfigFile(config, path);
}

export interface ResolveOptions {
  bootstrapFlag?: string | undefined;
  profileFlag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  configPath?: string;
}

/** Decides where a command connects, following the precedence in the header comment. */
export function resolveConnection(options: ResolveOptions = {}): Connection {
  const env = options.env ?? process.env;
  const config = readConfigFile(options.configPath ?? configFilePath(env));
  const explicitProfile = options.profileFlag ?? (env.KT_PROFILE || undefined);
  const profileName = explicitProfile ?? config.currentProfile;
  const profile = profileName === undefined ? undefined : config.profiles[profileName];
  if (explicitProfile !== undefined && profile === undefined) {
    const known = Object.keys(config.profiles);
    throw new KtError('KT_CONFIG', `Profile "${explicitProfile}" does not exist`, {
      hint: known.length
        ? `Known profiles: ${known.join(', ')}`
        : 'Create one with: kt profiles set NAME -b HOST:PORT',
    });
  }
  const base = {
    clientId: profile?.clientId ?? 'kt',
    ...(profile?.sasl ? { sasl: profile.sasl } : {}),
    ...(profile?.tls ? { tls: profile.tls } : {}),
    ...(profile && profileName !== undefined ? { profile: profileName } : {}),
  };
  if (options.bootstrapFlag !== undefined) {
    return { ...base, bootstrapServers: parseBootstrap(options.bootstrapFlag), source: 'flag' };
  }
  if (env.KT_BOOTSTRAP_SERVER) {
    return { ...base, bootstrapServers: parseBootstrap(env.KT_BOOTSTRAP_SERVER), source: 'env' };
  }
  if (profile) return { ...base, bootstrapServers: profile.bootstrapServers, source: 'profile' };
  return { clientId: 'kt', bootstrapServers: [DEFAULT_BOOTSTRAP], source: 'default' };
}

/** Makes an existing profile the current one. */
export function useProfile(name: string, path = configFilePath()): void {
  const config = readConfigFile(path);
  if (!config.profiles[name]) throw new KtError('KT_NOT_FOUND', `Profile "${name}" does not exist`);
  config.currentProfile = name;
  writeConfigFile(config, path);
}

/** Removes a profile; clears currentProfile when it pointed at it. Returns false when it did not exist. */
export function deleteProfile(name: string, path = configFilePath()): boolean {
  const config = readConfigFile(path);
  if (!config.profiles[name]) return false;
  delete config.profiles[name];
  if (config.currentProfile === name) delete config.currentProfile;
  writeConfigFile(config, path);
  return true;
}
