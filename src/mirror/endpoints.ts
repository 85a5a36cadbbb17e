/**
 * `--source` / `--target`: a profile name (with that profile's TLS/SASL settings) or a bootstrap list
 * `host:port[,host:port]` (plaintext, no credentials: use a profile for secured clusters). A value that
 * names an existing profile is a profile; anything else must parse as a bootstrap list.
 */
import {
  type Connection,
  configFilePath,
  parseBootstrap,
  readConfigFile,
  resolveConnection,
} from '../cli/config.js';
import { KtError } from '../errors/kt-error.js';

export function resolveEndpoint(
  value: string,
  flag: string,
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const configPath = configFilePath(env);
  if (readConfigFile(configPath).profiles[value] !== undefined) {
    // An empty env: KT_BOOTSTRAP_SERVER/KT_PROFILE describe the single-cluster commands, not this side.
    return resolveConnection({ profileFlag: value, env: {}, configPath });
  }
  try {
    return { clientId: 'kt', bootstrapServers: parseBootstrap(value), source: 'flag' };
  } catch (error) {
    throw new KtError(
      'KT_USAGE',
      `${flag} ${JSON.stringify(value)} is neither a profile nor host:port[,host:port]`,
      {
        hint: 'Create a profile with: kt profiles set NAME -b HOST:PORT',
        cause: error,
      },
    );
  }
}
