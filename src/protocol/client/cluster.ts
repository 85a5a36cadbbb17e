/**
 * A small cluster client over Connection: bootstraps from a list of servers, keeps the brokers, the
 * controller and topic leaders from Metadata, and routes a request to a given broker id, the controller,
 * a partition leader, a group/transaction coordinator, or any broker. One connection per broker, opened
 * on first use and reopened after it closes.
 *
 * It serves the admin calls kafkajs lacks (IncrementalAlterConfigs, OffsetDelete, DescribeCluster,
 * ElectLeaders, DescribeLogDirs), coordinator lookups and the mirror's raw Produce/Fetch path. Retries
 * are the caller's: errors surface as KtErrors (errors.ts) or, in response bodies, as error codes.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { ZERO_UUID } from '../reader.js';
import type { ApiKey, RequestOf, ResponseOf } from '../schema/registry.js';
import {
  Connection,
  type ConnectionOptions,
  type RequestInput,
  type ResponseFor,
  type SendOptions,
} from './connection.js';
import { KafkaConnectionError } from './errors.js';

export interface ClusterClientOptions extends Omit<ConnectionOptions, 'host' | 'port'> {
  /** 'host:port' entries; tried in order until one answers. */
  bootstrapServers: readonly string[];
  /**
   * Lookups (partition leader, coordinator) retry retriable broker errors — a topic just created has no
   * leader yet, the offsets topic is still being created — this many times. Default 20.
   */
  lookupRetriesMax?: number;
  /** Wait before the first lookup retry, doubled each time up to 1 s. Default 50 ms. */
  retryBackoffMs?: number;
}

const LOOKUP_RETRIES_DEFAULT = 20;
const RETRY_BACKOFF_DEFAULT_MS = 50;
const RETRY_BACKOFF_MAX_MS = 1_000;

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Where a request goes: a broker id, the controller, or whichever broker is connected already. */
export type Target = { nodeId: number } | 'controller' | 'any';

/** FindCoordinator key types. */
export const COORDINATOR_GROUP = 0;
export const COORDINATOR_TRANSACTION = 1;

const METADATA = 3;
const FIND_COORDINATOR = 10;

export function parseHostPort(server: string): { host: string; port: number } {
  const colon = server.lastIndexOf(':');
  const port = Number(server.slice(colon + 1));
  let host = server.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new TypeError(`bad bootstrap server ${JSON.stringify(server)}: expected host:port`);
  }
  return { host, port };
}

export class ClusterClient {
  private readonly options: ClusterClientOptions;
  private bootstrap: Connection | undefined;
  private readonly connections = new Map<number, Promise<Connection>>();
  private brokerMap = new Map<number, BrokerInfo>();
  private controller = -1;
  private cluster: string | null = null;
  /** topic -> partition -> leader id */
  private readonly leaders = new Map<string, Map<number, number>>();

  constructor(options: ClusterClientOptions) {
    if (options.bootstrapServers.length === 0) throw new TypeError('no bootstrap servers');
    this.options = options;
  }

  /** Connects to the first bootstrap server that answers and loads cluster metadata. */
  async connect(): Promise<void> {
    await this.bootstrapConnection();
    await this.refreshMetadata([]);
  }

  get brokers(): ReadonlyMap<number, BrokerInfo> {
    return this.brokerMap;
  }

  get controllerId(): number {
    return this.controller;
  }

  get clusterId(): string | null {
    return this.cluster;
  }

  /**
   * Metadata for `topics` (null = all topics, [] = none: brokers and controller only); refreshes the
   * brokers, the controller and the leaders of the topics returned.
   */
  async refreshMetadata(topics: readonly string[] | null = []): Promise<ResponseOf<3>> {
    const response = await this.send('any', METADATA, {
      topics: topics === null ? null : topics.map((name) => ({ topicId: ZERO_UUID, name })),
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    this.brokerMap = new Map(
      response.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack }]),
    );
    this.controller = response.controllerId;
    this.cluster = response.clusterId;
    for (const topic of response.topics) {
      if (topic.errorCode !== ErrorCode.NONE || topic.name === null) continue;
      this.leaders.set(topic.name, new Map(topic.partitions.map((p) => [p.partitionIndex, p.leaderId])));
    }
    return response;
  }

  /** Runs a lookup again while it fails with a retriable Kafka error, with a bounded backoff. */
  private async retrying<T>(lookup: () => Promise<T>): Promise<T> {
    const retriesMax = this.options.lookupRetriesMax ?? LOOKUP_RETRIES_DEFAULT;
    let backoffMs = this.options.retryBackoffMs ?? RETRY_BACKOFF_DEFAULT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await lookup();
      } catch (error) {
        if (!(error instanceof ProtocolError) || !error.retriable || attempt >= retriesMax) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, RETRY_BACKOFF_MAX_MS);
      }
    }
  }

  /**
   * The leader of a partition, from cached metadata; refreshed when unknown, retrying while the topic
   * has no leader yet (LEADER_NOT_AVAILABLE and other retriable errors).
   */
  partitionLeader(topic: string, partition: number): Promise<number> {
    const cached = this.leaders.get(topic)?.get(partition);
    if (cached !== undefined && cached >= 0) return Promise.resolve(cached);
    return this.retrying(() => this.lookUpLeader(topic, partition));
  }

  private async lookUpLeader(topic: string, partition: number): Promise<number> {
    let leader = this.leaders.get(topic)?.get(partition);
    if (leader === undefined || leader < 0) {
      const response = await this.refreshMetadata([topic]);
      const t = response.topics.find((x) => x.name === topic);
      if (t && t.errorCode !== ErrorCode.NONE) throw new ProtocolError(t.errorCode, `topic ${topic}`);
      leader = this.leaders.get(topic)?.get(partition);
    }
    if (leader === undefined || leader < 0) {
      throw new ProtocolError(5, `no leader for ${topic}-${partition}`); // LEADER_NOT_AVAILABLE
    }
    return leader;
  }

  /** Forgets cached leaders (after NOT_LEADER_OR_FOLLOWER and friends) so the next lookup refreshes. */
  invalidateLeaders(topic?: string): void {
    if (topic === undefined) this.leaders.clear();
    else this.leaders.delete(topic);
  }

  /**
   * The coordinator of a group (keyType 0) or transactional id (1), as a broker id; retries while the
   * coordinator is not available yet (e.g. the offsets topic is being created).
   */
  findCoordinator(key: string, keyType: number = COORDINATOR_GROUP): Promise<number> {
    return this.retrying(() => this.lookUpCoordinator(key, keyType));
  }

  private async lookUpCoordinator(key: string, keyType: number): Promise<number> {
    const any = await this.connection('any');
    const version = any.versionFor(FIND_COORDINATOR);
    const response = await any.send(FIND_COORDINATOR, { key, keyType, coordinatorKeys: [key] }, { version });
    // v4+ batches keys into `coordinators`; older versions answer at the top level.
    const found = version >= 4 ? response.coordinators.find((c) => c.key === key) : { ...response, key };
    if (!found) throw new ProtocolError(15, `no coordinator returned for ${key}`); // COORDINATOR_NOT_AVAILABLE
    if (found.errorCode !== ErrorCode.NONE) throw new ProtocolError(found.errorCode, found.errorMessage);
    if (!this.brokerMap.has(found.nodeId)) {
      this.brokerMap.set(found.nodeId, {
        nodeId: found.nodeId,
        host: found.host,
        port: found.port,
        rack: null,
      });
    }
    return found.nodeId;
  }

  /** The (open) connection for a target. */
  async connection(target: Target): Promise<Connection> {
    if (target === 'any') {
      const open = [...this.connections.values()];
      if (this.bootstrap && !this.bootstrap.closed) return this.bootstrap;
      for (const pending of open) {
        const conn = await pending.catch(() => undefined);
        if (conn && !conn.closed) return conn;
      }
      return this.bootstrapConnection();
    }
    const nodeId = target === 'controller' ? this.controller : target.nodeId;
    if (target === 'controller' && nodeId < 0) {
      await this.refreshMetadata([]);
      return this.connection({ nodeId: this.controller });
    }
    const cached = this.connections.get(nodeId);
    if (cached) {
      const conn = await cached.catch(() => undefined);
      if (conn && !conn.closed) return conn;
      this.connections.delete(nodeId);
    }
    let broker = this.brokerMap.get(nodeId);
    if (!broker) {
      await this.refreshMetadata([]);
      broker = this.brokerMap.get(nodeId);
    }
    if (!broker) throw new KafkaConnectionError(`broker ${nodeId}`, 'not in cluster metadata');
    const opening = Connection.connect({ ...this.options, host: broker.host, port: broker.port });
    this.connections.set(nodeId, opening);
    opening.catch(() => this.connections.delete(nodeId));
    return opening;
  }

  /** Sends to a target (see `Target`); the version is negotiated per connection. */
  async send<K extends ApiKey>(
    target: Target,
    apiKey: K,
    request: RequestInput<RequestOf<K>>,
    options?: SendOptions,
  ): Promise<ResponseFor<K>> {
    const conn = await this.connection(target);
    return conn.send(apiKey, request, options);
  }

  /** Sends to the leader of `topic`-`partition` (Produce, Fetch, ListOffsets, DeleteRecords). */
  async sendToLeader<K extends ApiKey>(
    topic: string,
    partition: number,
    apiKey: K,
    request: RequestInput<RequestOf<K>>,
    options?: SendOptions,
  ): Promise<ResponseFor<K>> {
    return this.send({ nodeId: await this.partitionLeader(topic, partition) }, apiKey, request, options);
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    const conns = await Promise.all(all.map((p) => p.catch(() => undefined)));
    await Promise.all([this.bootstrap?.close(), ...conns.map((c) => c?.close())]);
    this.bootstrap = undefined;
  }

  private async bootstrapConnection(): Promise<Connection> {
    if (this.bootstrap && !this.bootstrap.closed) return this.bootstrap;
    const failures: string[] = [];
    let lastError: unknown;
    for (const server of this.options.bootstrapServers) {
      const { host, port } = parseHostPort(server);
      try {
        this.bootstrap = await Connection.connect({ ...this.options, host, port });
        return this.bootstrap;
      } catch (error) {
        lastError = error;
        failures.push((error as Error).message);
      }
    }
    if (this.options.bootstrapServers.length === 1) throw lastError;
    throw new KafkaConnectionError(
      this.options.bootstrapServers.join(','),
      `no bootstrap server answered: ${failures.join('; ')}`,
      { cause: lastError },
    );
  }
}
