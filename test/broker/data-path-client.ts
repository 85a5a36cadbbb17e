/**
 * Test support for the data-path tests: a raw Kafka connection built on src/protocol (frames out,
 * responses matched by correlation id), request builders with defaults, and async child processes
 * (the broker runs in the test's process, so nothing here may block the event loop).
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import {
  type EncodeBatchOptions,
  encodeRecordBatch,
  type RecordInput,
} from '../../src/protocol/record-batch.js';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/schema/headers.js';
import type { ApiKey, RequestOf, ResponseOf } from '../../src/protocol/schema/registry.js';

export class RawConnection {
  private readonly socket: Socket;
  private buffered = Buffer.alloc(0);
  private nextCorrelationId = 1;
  private readonly pending = new Map<number, (frame: Buffer) => void>();
  /** Correlation ids in the order responses arrived. */
  readonly arrivals: number[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (data: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, data]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        const frame = this.buffered.subarray(0, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        const correlationId = frame.readInt32BE(4);
        this.arrivals.push(correlationId);
        this.pending.get(correlationId)?.(frame);
        this.pending.delete(correlationId);
      }
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
  }

  static open(bootstrap: string): Promise<RawConnection> {
    const [host, port] = bootstrap.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host: host!, port: Number(port) }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a request; resolves with the decoded response (or never, for acks=0 produce). */
  request<K extends ApiKey>(apiKey: K, version: number, body: RequestOf<K>): Promise<ResponseOf<K>> {
    const correlationId = this.nextCorrelationId++;
    const frame = encodeRequestFrame({
      apiKey,
      apiVersion: version,
      correlationId,
      clientId: 'kt-test',
      body,
    });
    return new Promise((resolve, reject) => {
      this.pending.set(correlationId, (bytes) => {
        try {
          resolve(decodeResponseFrame(apiKey, version, bytes).body);
        } catch (error) {
          reject(error);
        }
      });
      this.socket.write(frame);
    });
  }

  /** Sends raw bytes (a frame with its size prefix). */
  sendRaw(frame: Uint8Array): void {
    this.socket.write(frame);
  }

  /** The correlation id the next request will use. */
  peekCorrelationId(): number {
    return this.nextCorrelationId;
  }

  /** Resolves when the broker closes the connection. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.destroy();
  }
}

export function batch(records: RecordInput[], options: EncodeBatchOptions = {}): Uint8Array {
  return encodeRecordBatch(records, options);
}

export function textRecords(n: number, prefix = 'v', withKeys = true): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: withKeys ? Buffer.from(`k${i}`) : null,
    value: Buffer.from(`${prefix}${i}`),
  }));
}

export function produceRequest(
  topic: string,
  partition: number,
  records: Uint8Array | null,
  acks = -1,
): RequestOf<0> {
  return {
    transactionalId: null,
    acks,
    timeoutMs: 30_000,
    topicData: [{ name: topic, topicId: '', partitionData: [{ index: partition, records }] }],
  };
}

export function fetchRequest(
  topic: string,
  partition: number,
  fetchOffset: bigint,
  options: { maxWaitMs?: number; minBytes?: number; maxBytes?: number; partitionMaxBytes?: number } = {},
): RequestOf<1> {
  return {
    clusterId: null,
    replicaId: -1,
    replicaState: { replicaId: -1, replicaEpoch: -1n },
    maxWaitMs: options.maxWaitMs ?? 0,
    minBytes: options.minBytes ?? 1,
    maxBytes: options.maxBytes ?? 50 * 1024 * 1024,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic,
        topicId: '00000000-0000-0000-0000-000000000000',
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: options.partitionMaxBytes ?? 1024 * 1024,
            replicaDirectoryId: '00000000-0000-0000-0000-000000000000',
            highWatermark: -1n,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  };
}

export function listOffsetsRequest(topic: string, partition: number, timestamp: bigint): RequestOf<2> {
  return {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp }] }],
    timeoutMs: 30_000,
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously (never spawnSync: the broker shares this event loop). */
export function run(command: string, args: string[], input?: string | Uint8Array): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

export interface KillableBroker {
  bootstrap: string;
  /** SIGKILL the broker (no clean shutdown) and wait until the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts an embedded broker in a child process (so a test can SIGKILL it) on `dataDir` with fsync on every
 * append (log.flush.interval.messages=1) and one topic already created.
 */
export async function startKillableBroker(options: {
  dataDir: string;
  topic: string;
  partitions: number;
}): Promise<KillableBroker> {
  const brokerUrl = new URL('../../src/broker/index.ts', import.meta.url).href;
  const script = `
    import { startBroker } from ${JSON.stringify(brokerUrl)};
    const b = await startBroker({ port: 0, dataDir: ${JSON.stringify(options.dataDir)}, config: { 'log.flush.interval.messages': 1 } });
    b.core.topics.create({ name: ${JSON.stringify(options.topic)}, numPartitions: ${options.partitions}, replicationFactor: -1, configs: {} });
    process.stdout.write('ready ' + b.bootstrap + '\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /ready (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`broker child exited with ${code}`)));
  });
  return {
    bootstrap,
    kill: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
