/**
 * The kafkajs adapter: the only module that builds kafkajs clients. Commands, services and the mirror get
 * a configured `Kafka` from here and map its errors through `toKtError`, so a client swap stays a
 * one-folder change (style.md ex. 22). kafkajs lacks some admin APIs (IncrementalAlterConfigs,
 * OffsetDelete, DescribeCluster, ElectLeaders, DescribeLogDirs) and encodes records slowly; for those the
 * protocol core's own connection serves.
 */
import kafkajs from 'kafkajs';
import type { Connection } from '../cli/config.js';
import { KtError } from '../errors/kt-error.js';
import { tlsOptions } from './security.js';

const { Kafka, logLevel } = kafkajs;
export type KafkaClient = InstanceType<typeof Kafka>;

export interface KafkaClientOptions {
  /** Time to establish a TCP (and TLS) connection. */
  connectionTimeoutMs?: number;
  /** Time a single request may take before kafkajs gives up on it. */
  requestTimeoutMs?: number;
  /** Retries of retriable errors; 0 makes an unreachable cluster fail fast. */
  retries?: number;
  /** Forward kafkajs' own logs to stderr (for --debug). */
  debug?: boolean;
}

export function createKafkaClient(connection: Connection, options: KafkaClientOptions = {}): KafkaClient {
  const ssl = tlsOptions(connection);
  const sasl = connection.sasl;
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.bootstrapServers,
    connectionTimeout: options.connectionTimeoutMs ?? 5_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: { retries: options.retries ?? 3, initialRetryTime: 100, maxRetryTime: 2_000 },
    ...(ssl ? { ssl } : {}),
    ...(sasl
      ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as never }
      : {}),
    logLevel: options.debug ? logLevel.DEBUG : logLevel.NOTHING,
    logCreator: () => (entry) => {
      if (options.debug) process.stderr.write(`kafkajs ${entry.namespace}: ${entry.log.message}\n`);
    },
  });
}

interface KafkaJsErrorShape {
  name?: string;
  message?: string;
  type?: string;
  code?: number;
  retriable?: boolean;
  cause?: unknown;
}

/** Maps a kafkajs error to kt's error model: connection failures, timeouts and Kafka error codes. */
export function toKtError(error: unknown, context?: string): KtError {
  if (error instanceof KtError) return error;
  const e = (error ?? {}) as KafkaJSErrorLike;
  const prefix = context ? `${context}: ` : '';
  const root = rootCause(e);
  if (root.name === 'KafkaJSProtocolError' && typeof root.code === 'number') {
    return new KtError('KT_KAFKA', `${prefix}${root.type ?? 'Kafka error'}: ${root.message}`, {
      kafkaCode: root.code,
      cause: error,
    });
  }
  if (
    root.name === 'KafkaJSConnectionError' ||
    root.name === 'KafkaJSBrokerNotFound' ||
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|Connection timeout|Closed connection/.test(root.message ?? '')
  ) {
    return new KtError('KT_CONNECTION', `${prefix}Cannot connect to Kafka: ${root.message}`, {
      hint: 'Check --bootstrap-server (or the profile) and that the cluster is reachable',
      cause: error,
    });
  }
  if (root.name === 'KafkaJSRequestTimeoutError' || /timed? ?out/i.test(root.message ?? '')) {
    return new KtError('KT_TIMEOUT', `${prefix}${root.message}`, { cause: error });
  }
  return new KtError('KT_KAFKA', `${prefix}${root.message ?? String(error)}`, { cause: error });
}

type KafkaJSErrorLike = KafkaJsErrorShape & { originalError?: KafkaJsErrorShape };

/** kafkajs wraps the real error in retry errors (KafkaJSNumberOfRetriesExceeded → originalError/cause). */
function rootCause(error: KafkaJSErrorLike): KafkaJsErrorShape {
  let current: KafkaJSErrorLike = error;
  for (let depth = 0; depth < 8; depth++) {
    const next = (current.originalError ?? current.cause) as KafkaJSErrorLike | undefined;
    if (!next || typeof next !== 'object') break;
    current = next;
  }
  return current;
}
