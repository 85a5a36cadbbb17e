/**
 * Connection security from flags and from Java client properties (`--command-config FILE`, the file
 * kafka-topics.sh and friends take), applied on top of the resolved profile:
 *
 *   explicit flags (--sasl-*, --tls-*) > --command-config properties > the profile's sasl/tls.
 *
 * Java properties understood: bootstrap.servers (used when no -b/KT_BOOTSTRAP_SERVER is given),
 * client.id, security.protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), sasl.mechanism (PLAIN,
 * SCRAM-SHA-256, SCRAM-SHA-512), sasl.jaas.config (username="…" password="…" of PlainLoginModule or
 * ScramLoginModule), ssl.truststore.location / ssl.keystore.location with type PEM (the keystore file holds
 * the client certificate and its key), ssl.key.password is not supported (unencrypted keys only),
 * ssl.endpoint.identification.algorithm (empty: do not verify certificates). JKS/PKCS12 stores and other
 * mechanisms are rejected with one clear line; other keys are ignored, as Kafka's tools ignore keys
 * meant for other clients.
 */
import { readFileSync } from 'node:fs';
import { KtError } from '../errors/kt-error.js';
import { type Connection, parseBootstrap, type SaslMechanism, type TlsSettings } from './config.js';

export interface SecurityFlags {
  commandConfig?: string | undefined;
  saslMechanism?: SaslMechanism | undefined;
  saslUsername?: string | undefined;
  saslPassword?: string | undefined;
  tls?: boolean | undefined;
  tlsCa?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  tlsInsecure?: boolean | undefined;
}

/** Parses a Java .properties text: `k=v`, `k: v`, `k v`, # and ! comments, \ continuations and escapes. */
export function parseJavaProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^\s+/, '');
    }
    let k = 0;
    let key = '';
    for (; k < line.length; k++) {
      const ch = line[k]!;
      if (ch === '\\' && k + 1 < line.length) {
        key += unescapeChar(line[++k]!);
        continue;
      }
      if (ch === '=' || ch === ':' || ch === ' ' || ch === '\t' || ch === '\f') break;
      key += ch;
    }
    let rest = line.slice(k).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    out.set(
      key,
      rest.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => unescapeChar(c)),
    );
  }
  return out;
}

function endsWithOddBackslashes(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function unescapeChar(c: string): string {
  if (c.length === 5 && c[0] === 'u') return String.fromCharCode(Number.parseInt(c.slice(1), 16));
  return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[c] ?? c;
}

export interface CommandConfigSettings {
  bootstrapServers?: string[];
  clientId?: string;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  tls?: TlsSettings;
}

const MECHANISMS: Record<string, SaslMechanism> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};

/** Maps Java client properties to kt connection settings; `source` names the file in errors. */
export function commandConfigSettings(props: Map<string, string>, source: string): CommandConfigSettings {
  const fail = (message: string): never => {
    throw new KtError('KT_CONFIG', `${source}: ${message}`);
  };
  const out: CommandConfigSettings = {};
  const bootstrap = props.get('bootstrap.servers');
  if (bootstrap) out.bootstrapServers = parseBootstrap(bootstrap);
  const clientId = props.get('client.id');
  if (clientId) out.clientId = clientId;
  const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    fail(`security.protocol=${protocol}: expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL`);
  }
  if (protocol.startsWith('SASL_')) {
    const name = (props.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
    const mechanism = MECHANISMS[name];
    if (!mechanism)
      fail(`sasl.mechanism=${name} is not supported: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`);
    const jaas = props.get('sasl.jaas.config');
    if (!jaas) fail('SASL needs sasl.jaas.config with username="…" and password="…"');
    const field = (name: string): string | undefined => {
      const m = new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas!);
      return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
    };
    const username = field('username');
    const password = field('password');
    if (username === undefined || password === undefined) {
      fail('sasl.jaas.config needs username="…" and password="…"');
    }
    out.sasl = { mechanism: mechanism!, username: username!, password: password! };
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const tls: TlsSettings = {};
    const store = (kind: 'truststore' | 'keystore'): string | undefined => {
      const type = (props.get(`ssl.${kind}.type`) ?? 'JKS').toUpperCase();
      const location = props.get(`ssl.${kind}.location`);
      const inline = props.get(kind === 'truststore' ? 'ssl.truststore.certificates' : 'ssl.keystore.key');
      if (inline)
        fail(
          `inline PEM in ${kind === 'truststore' ? 'ssl.truststore.certificates' : 'ssl.keystore.key'} is not supported: put it in a file and set ssl.${kind}.location`,
        );
      if (!location) return undefined;
      if (type !== 'PEM')
        fail(
          `ssl.${kind}.type=${type} is not supported: convert the ${kind} to PEM and set ssl.${kind}.type=PEM`,
        );
      return location;
    };
    const ca = store('truststore');
    const keystore = store('keystore');
    if (ca) tls.ca = ca;
    if (keystore) {
      tls.cert = keystore;
      tls.key = keystore;
    }
    if (props.get('ssl.key.password')) fail('ssl.key.password is not supported: use an unencrypted PEM key');
    if (props.get('ssl.endpoint.identification.algorithm') === '') tls.rejectUnauthorized = false;
    out.tls = tls;
  }
  return out;
}

export function readCommandConfig(path: string): CommandConfigSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KtError('KT_CONFIG', `Cannot read --command-config ${path}: ${(error as Error).message}`);
  }
  return commandConfigSettings(parseJavaProperties(text), path);
}

/** The connection with --command-config and the security flags applied (see the header for precedence). */
export function applySecurity(connection: Connection, flags: SecurityFlags): Connection {
  let out: Connection = { ...connection };
  if (flags.commandConfig) {
    const settings = readCommandConfig(flags.commandConfig);
    if (settings.bootstrapServers && (out.source === 'profile' || out.source === 'default')) {
      out = { ...out, bootstrapServers: settings.bootstrapServers, source: 'flag' };
    }
    if (settings.clientId) out.clientId = settings.clientId;
    if (settings.sasl) out.sasl = settings.sasl;
    else delete out.sasl;
    if (settings.tls) out.tls = settings.tls;
    else delete out.tls;
  }
  // A password alone (typically KT_SASL_PASSWORD in the environment) only fills in a configured SASL login.
  const passwordOnly = !flags.saslMechanism && !flags.saslUsername && flags.saslPassword !== undefined;
  if (passwordOnly && out.sasl) out.sasl = { ...out.sasl, password: flags.saslPassword! };
  else if (!passwordOnly && (flags.saslMechanism || flags.saslUsername)) {
    const mechanism = flags.saslMechanism ?? out.sasl?.mechanism;
    const username = flags.saslUsername ?? out.sasl?.username;
    const password = flags.saslPassword ?? out.sasl?.password;
    if (!mechanism || username === undefined || password === undefined) {
      throw new KtError(
        'KT_USAGE',
        'SASL needs --sasl-mechanism, --sasl-username and --sasl-password (or KT_SASL_PASSWORD)',
      );
    }
    out.sasl = { mechanism, username, password };
  }
  if (flags.tls || flags.tlsCa || flags.tlsCert || flags.tlsKey || flags.tlsInsecure) {
    if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined) && !out.tls?.cert) {
      throw new KtError('KT_USAGE', 'mTLS needs both --tls-cert and --tls-key');
    }
    out.tls = {
      ...(out.tls ?? {}),
      ...(flags.tlsCa ? { ca: flags.tlsCa } : {}),
      ...(flags.tlsCert ? { cert: flags.tlsCert } : {}),
      ...(flags.tlsKey ? { key: flags.tlsKey } : {}),
      ...(flags.tlsInsecure ? { rejectUnauthorized: false } : {}),
    };
  }
  return out;
}
