/**
 * Opens the protocol core's ClusterClient for a resolved Connection, with the connection's security
 * (TLS from PEM files, SASL PLAIN/SCRAM) applied exactly as the kafkajs adapter applies it, and runs one
 * admin operation with it. Every admin service in src/ops takes a connected ClusterClient; commands reach
 * it through `withCluster`.
 *
 * Bounded: connecting (TCP, TLS, ApiVersions, SASL) is limited by `connectTimeoutMs` and every request by
 * `requestTimeoutMs`, so an unreachable bootstrap server ends in one KT_CONNECTION/KT_TIMEOUT error line,
 * never a hang.
 */
import type { Connection as KtConnection } from '../../cli/config.js';
import { tlsOptions } from '../../client/security.js';
import { ProtocolError } from '../../errors/kafka.js';
import { KtError } from '../../errors/kt-error.js';
import { ClusterClient, type ClusterClientOptions } from '../../protocol/client/cluster.js';

export const CONNECT_TIMEOUT_MS_DEFAULT = 5_000;
export const REQUEST_TIMEOUT_MS_DEFAULT = 30_000;

export interface OpenClusterOptions {
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** ClusterClient options for a kt Connection (bootstrap, client id, TLS, SASL, timeouts). */
export function clusterClientOptions(
  connection: KtConnection,
  options: OpenClusterOptions = {},
): ClusterClientOptions {
  const tls = tlsOptions(connection);
  return {
    bootstrapServers: connection.bootstrapServers,
    clientId: connection.clientId,
    connectTimeoutMs:
      options.connectTimeoutMs ?? envMs('KT_CONNECT_TIMEOUT_MS') ?? CONNECT_TIMEOUT_MS_DEFAULT,
    requestTimeoutMs:
      options.requestTimeoutMs ?? envMs('KT_REQUEST_TIMEOUT_MS') ?? REQUEST_TIMEOUT_MS_DEFAULT,
    ...(tls ? { tls } : {}),
    ...(connection.sasl
      ? {
          sasl: {
            mechanism: connection.sasl.mechanism,
            username: connection.sasl.username,
            password: connection.sasl.password,
          },
        }
      : {}),
  };
}

function envMs(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new KtError('KT_CONFIG', `${name}=${raw}: expected a positive integer of milliseconds`);
  }
  return value;
}

/** Connects, runs `fn`, closes; broker error codes thrown as ProtocolError become KT_KAFKA errors. */
export async function withCluster<T>(
  connection: KtConnection,
  fn: (client: ClusterClient) => Promise<T>,
  options: OpenClusterOptions = {},
): Promise<T> {
  const client = new ClusterClient(clusterClientOptions(connection, options));
  try {
    try {
      await client.connect();
    } catch (error) {
      throw connectError(error, connection);
    }
    return await fn(client);
  } catch (error) {
    throw toOpsError(error);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function connectError(error: unknown, connection: KtConnection): unknown {
  if (!(error instanceof KtError)) return error;
  if (error.code !== 'KT_CONNECTION' && error.code !== 'KT_TIMEOUT') return error;
  const where = connection.bootstrapServers.join(',');
  return new KtError(error.code, `Cannot connect to Kafka at ${where}: ${error.message}`, {
    hint:
      error.hint ??
      `Check --bootstrap-server (source: ${connection.source}${connection.profile ? `, profile ${connection.profile}` : ''}) and that the cluster is reachable`,
    cause: error,
  });
}

/** A broker error code (ProtocolError) as a KtError; anything else unchanged. */
export function toOpsError(error: unknown, context?: string): unknown {
  if (error instanceof ProtocolError) {
    const prefix = context ? `${context}: ` : '';
    return new KtError('KT_KAFKA', `${prefix}${error.name}: ${error.message}`, {
      kafkaCode: error.code,
      cause: error,
    });
  }
  return error;
}

/** Throws a KT_KAFKA error for a non-zero error code of a response entry. */
export function kafkaError(code: number, message: string | null | undefined, context: string): KtError {
  const e = new ProtocolError(code, message);
  return new KtError(errorKind(code), `${context}: ${e.name}: ${e.message}`, { kafkaCode: code });
}

function errorKind(code: number): 'KT_NOT_FOUND' | 'KT_ALREADY_EXISTS' | 'KT_INVALID_INPUT' | 'KT_KAFKA' {
  switch (code) {
    case 3: // UNKNOWN_TOPIC_OR_PARTITION
      return 'KT_NOT_FOUND';
    case 36: // TOPIC_ALREADY_EXISTS
      return 'KT_ALREADY_EXISTS';
    case 17: // INVALID_TOPIC_EXCEPTION
    case 37: // INVALID_PARTITIONS
    case 38: // INVALID_REPLICATION_FACTOR
    case 39: // INVALID_REPLICA_ASSIGNMENT
    case 40: // INVALID_CONFIG
    case 42: // INVALID_REQUEST
      return 'KT_INVALID_INPUT';
    default:
      return 'KT_KAFKA';
  }
}

/** Sleeps `ms` (for bounded waits on metadata propagation). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
