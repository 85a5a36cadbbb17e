/**
 * Connection security shared by both client stacks (kafkajs through the adapter, and the protocol core's
 * own connection): TLS options from PEM files and SASL credentials, from a resolved Connection.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Connection } from '../cli/config.js';
import { KtError } from '../errors/kt-error.js';

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new KtError('KT_CONFIG', `Cannot read TLS ${what} file ${path}: ${(error as Error).message}`);
  }
}

/** Node TLS options for the connection, or undefined for plaintext. */
export function tlsOptions(connection: Pick<Connection, 'tls'>): ConnectionOptions | undefined {
  const tls = connection.tls;
  if (!tls) return undefined;
  const options: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized !== false };
  if (tls.ca) options.ca = readPem(tls.ca, 'CA');
  if (tls.cert) options.cert = readPem(tls.cert, 'certificate');
  if (tls.key) options.key = readPem(tls.key, 'key');
  return options;
}
