/**
 * BrokerCore: the broker's state (settings, topics, groups) and request dispatch. It turns one request
 * frame into one response frame (or none, or a connection close) — no sockets here, which keeps it
 * testable with plain bytes; server.ts owns the network.
 *
 * Dispatch rules (Apache Kafka's, protocol.md §5):
 * - ApiVersions at a version we cannot parse → a v0 body with UNSUPPORTED_VERSION and the full API list,
 *   response header v0 (KIP-511), so every client can downgrade.
 * - Any other unknown API key or unsupported version, or a malformed header/body → one log line and the
 *   connection is closed (Kafka closes on InvalidRequestException); other connections are unaffected.
 * - A handler's `null` result (Produce acks=0) sends nothing.
 */

import { ErrorCode } from '../errors/codes.generated.js';
import { writeFileAtomic } from '../log/fs.js';
import { DecodeError } from '../protocol/decode-error.js';
import {
  decodeRequestFrame,
  encodeResponseFrameChunks,
  UnsupportedVersionError,
} from '../protocol/schema/headers.js';
import {
  API_VERSIONS_TABLE,
  type ApiKey,
  type ApiVersionRange,
  getApi,
} from '../protocol/schema/registry.js';
import type { BrokerSettings } from './config.js';
import type { BrokerConfigState } from './configs.js';
import type { BrokerGroups } from './group-wiring.js';
import type { ApiHandler } from './handler.js';
import { HANDLERS } from './handlers/index.js';
import type { ConnectionInfo, HandlerResult } from './server.js';
import type { TopicManager } from './topics.js';

export interface BrokerCoreOptions {
  settings: BrokerSettings;
  /** Names set at start (--config), reported as STATIC_BROKER_CONFIG. */
  staticConfigNames?: ReadonlySet<string>;
  /** Cluster-wide dynamic broker configs loaded from the data dir. */
  dynamicConfigs?: Record<string, string>;
  clusterId: string;
  topics: TopicManager;
  /** The classic group coordinator over __consumer_offsets (group-wiring.ts). */
  groups: BrokerGroups;
  /** Host and port clients are told to connect to (Metadata). */
  advertisedHost: string;
  port: number;
  log: (line: string) => void;
}

export const DYNAMIC_CONFIGS_FILE = 'kt-broker-configs.json';

export class BrokerCore {
  settings: BrokerSettings;
  readonly staticConfigNames: ReadonlySet<string>;
  dynamicConfigs: Record<string, string>;
  readonly clusterId: string;
  readonly topics: TopicManager;
  readonly groups: BrokerGroups;
  readonly advertisedHost: string;
  port: number;
  readonly log: (line: string) => void;
  readonly apiVersions: readonly ApiVersionRange[];
  private readonly handlers = new Map<number, ApiHandler>();

  constructor(options: BrokerCoreOptions) {
    this.settings = options.settings;
    this.staticConfigNames = options.staticConfigNames ?? new Set();
    this.dynamicConfigs = options.dynamicConfigs ?? {};
    this.clusterId = options.clusterId;
    this.topics = options.topics;
    this.groups = options.groups;
    this.advertisedHost = options.advertisedHost;
    this.port = options.port;
    this.log = options.log;
    for (const handler of HANDLERS) this.handlers.set(handler.apiKey, handler);
    this.apiVersions = API_VERSIONS_TABLE.filter((range) => this.handlers.has(range.apiKey));
  }

  /** The state DescribeConfigs reports from. */
  get configState(): BrokerConfigState {
    return {
      settings: this.settings,
      staticNames: this.staticConfigNames,
      dynamicDefaults: this.dynamicConfigs,
    };
  }

  /** Replaces the dynamic broker configs (validated by the caller), persists them, applies them to logs. */
  setDynamicConfigs(dynamic: Record<string, string>, settings: BrokerSettings): void {
    this.dynamicConfigs = { ...dynamic };
    this.settings = settings;
    this.topics.updateSettings(settings);
    const text = `${JSON.stringify({ version: 1, configs: this.dynamicConfigs }, null, 1)}\n`;
    writeFileAtomic(
      this.topics.fs,
      this.topics.dataDir,
      DYNAMIC_CONFIGS_FILE,
      new TextEncoder().encode(text),
    );
  }

  get nodeId(): number {
    return this.settings['node.id'];
  }

  private served(apiKey: number, version: number): boolean {
    const range = this.apiVersions.find((r) => r.apiKey === apiKey);
    return range !== undefined && version >= range.minVersion && version <= range.maxVersion;
  }

  /** One request frame (without its size prefix) in, one response frame (with it, as chunks) out. */
  async dispatch(frame: Uint8Array, connection: ConnectionInfo): Promise<HandlerResult> {
    let decoded: ReturnType<typeof decodeRequestFrame>;
    try {
      decoded = decodeRequestFrame(frame, { sizePrefixed: false });
    } catch (error) {
      if (error instanceof UnsupportedVersionError) return this.unsupported(error);
      if (error instanceof DecodeError) return { close: `malformed request: ${error.message}` };
      throw error;
    }
    const { header, body } = decoded;
    if (!this.served(header.apiKey, header.apiVersion)) {
      if (header.apiKey === 18) return this.unsupported(new UnsupportedVersionError(header, 0));
      const name = getApi(header.apiKey)?.name ?? `API key ${header.apiKey}`;
      return { close: `${name} v${header.apiVersion} is not served by this broker` };
    }
    const handler = this.handlers.get(header.apiKey)!;
    const response = await handler.handle(body as never, {
      broker: this,
      header,
      version: header.apiVersion,
      connection,
    });
    if (response === null) return { response: null };
    return {
      response: encodeResponseFrameChunks({
        apiKey: header.apiKey as ApiKey,
        apiVersion: header.apiVersion,
        correlationId: header.correlationId,
        body: response as never,
      }),
    };
  }

  /** KIP-511: ApiVersions v0 with UNSUPPORTED_VERSION and the full list; anything else closes. */
  private unsupported(error: UnsupportedVersionError): HandlerResult {
    const { header } = error;
    if (header.apiKey !== 18) return { close: error.message };
    return {
      response: encodeResponseFrameChunks({
        apiKey: 18,
        apiVersion: 0,
        correlationId: header.correlationId,
        body: {
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
          apiKeys: this.apiVersions.map((v) => ({ ...v })),
          throttleTimeMs: 0,
          supportedFeatures: [],
          finalizedFeaturesEpoch: -1n,
          finalizedFeatures: [],
          zkMigrationReady: false,
        },
      }),
    };
  }
}
