/**
 * `kt produce`: reads records from stdin or files, sends them with BatchProducer, reports delivered
 * offsets (--print-offsets, stdout), failures (stderr, with line numbers), a progress line (stderr, on a
 * TTY) and a summary (stderr). Resolves with the counts; the command turns failures into exit code 1.
 */
import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import type { CompressionCodec } from '../../protocol/record-batch.js';
import { readLines } from './lines.js';
import { createLineParser, type OutRecord, type ParseOptions } from './parse.js';
import { BatchProducer, type Partitioner } from './producer.js';

export interface ProduceOptions extends ParseOptions {
  topic: string;
  files: string[];
  wholeFile: boolean;
  partition?: number;
  partitioner: Partitioner;
  compression: CompressionCodec;
  acks: 0 | 1 | -1;
  idempotent: boolean;
  lingerMs: number;
  batchBytesMax: number;
  /** Records per second, or undefined for as fast as possible. */
  rate?: number;
  printOffsets: boolean;
  requestTimeoutMs: number;
}

export interface ProduceIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

export interface ProduceSummary {
  records: number;
  bytes: number;
  failed: number;
  elapsedMs: number;
}

const TOPIC_RESOURCE = 2;
const FAILURES_PRINTED_MAX = 20;

async function topicFacts(
  client: ClusterClient,
  topic: string,
): Promise<{ partitions: number; messageBytesMax?: number }> {
  const metadata = await client.refreshMetadata([topic]);
  const t = metadata.topics.find((x) => x.name === topic);
  if (!t || t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
    throw new KtError('KT_NOT_FOUND', `topic ${topic} does not exist`, {
      hint: `create it first: kt topics create ${topic}`,
      kafkaCode: 3,
    });
  }
  if (t.errorCode !== ErrorCode.NONE)
    throw new KtError('KT_KAFKA', `topic ${topic}: error code ${t.errorCode}`, { kafkaCode: t.errorCode });
  const result: { partitions: number; messageBytesMax?: number } = { partitions: t.partitions.length };
  try {
    const configs = await client.send('any', 32, {
      resources: [
        { resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: ['max.message.bytes'] },
      ],
    });
    const value = configs.results[0]?.configs.find((c) => c.name === 'max.message.bytes')?.value;
    if (value && /^\d+$/.test(value)) result.messageBytesMax = Number(value);
  } catch {
    // Not allowed or not supported: the broker's MESSAGE_TOO_LARGE answer still names the record.
  }
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runProduce(
  client: ClusterClient,
  options: ProduceOptions,
  io: ProduceIo,
): Promise<ProduceSummary> {
  const parse = createLineParser(options);
  for (const file of options.files)
    await access(file).catch((error: unknown) => Promise.reject(ioError(error)));
  const facts = await topicFacts(client, options.topic);
  if (options.partition !== undefined && options.partition >= facts.partitions) {
    throw new KtError(
      'KT_USAGE',
      `--partition ${options.partition}: ${options.topic} has ${facts.partitions} partitions`,
    );
  }
  const started = performance.now();
  let sent = 0;
  let sentBytes = 0;
  let delivered = 0;
  let failed = 0;
  let source = '';
  const offsetsOut: string[] = [];
  const flushOffsets = (): void => {
    if (offsetsOut.length > 0) io.stdout.write(offsetsOut.join(''));
    offsetsOut.length = 0;
  };
  const producer = new BatchProducer(client, {
    topic: options.topic,
    partitionCount: facts.partitions,
    partitioner: options.partitioner,
    ...(options.partition === undefined ? {} : { partition: options.partition }),
    compression: options.compression,
    acks: options.acks,
    idempotent: options.idempotent,
    lingerMs: options.lingerMs,
    batchBytesMax: options.batchBytesMax,
    ...(facts.messageBytesMax === undefined ? {} : { messageBytesMax: facts.messageBytesMax }),
    inFlightMax: options.idempotent ? 5 : 8,
    bufferBytesMax: 32 * 1024 * 1024,
    requestTimeoutMs: options.requestTimeoutMs,
    retriesMax: 5,
    onDelivered: (records, partition, baseOffset) => {
      delivered += records.length;
      if (!options.printOffsets) return;
      for (let i = 0; i < records.length; i++) {
        offsetsOut.push(`${partition}\t${baseOffset === null ? -1n : baseOffset + BigInt(i)}\n`);
      }
      if (offsetsOut.length > 4096) flushOffsets();
    },
    onFailed: (records, partition, message) => {
      for (const r of records) {
        failed++;
        if (failed <= FAILURES_PRINTED_MAX) {
          io.stderr.write(`Error: ${source}line ${r.lineNo} (partition ${partition}): ${message}\n`);
        } else if (failed === FAILURES_PRINTED_MAX + 1)
          io.stderr.write('Error: more records failed (not shown)\n');
      }
    },
  });
  await producer.init();

  const progress = io.stderr.isTTY === true && options.files.length > 0;
  let lastProgress = started;
  const showProgress = (now: number): void => {
    const seconds = (now - started) / 1000;
    io.stderr.write(
      `\r${sent} records, ${(sentBytes / 1e6).toFixed(1)} MB, ${Math.round(sent / Math.max(seconds, 0.001))} records/s`,
    );
  };

  let rateWindowStart = performance.now();
  let rateWindowCount = 0;
  const addNow = (r: OutRecord): void => {
    producer.add(r);
    sent++;
    sentBytes += payloadBytes(r);
  };
  /** --rate: sleeps until the record is due (the unthrottled path stays synchronous: no promise per record). */
  const add = async (r: OutRecord): Promise<void> => {
    if (options.rate !== undefined) {
      rateWindowCount++;
      const dueMs = (rateWindowCount / options.rate) * 1000 - (performance.now() - rateWindowStart);
      if (dueMs > 1) await sleep(dueMs);
      if (rateWindowCount >= options.rate) {
        rateWindowStart = performance.now();
        rateWindowCount = 0;
      }
    }
    addNow(r);
  };

  const consumeStream = async (stream: AsyncIterable<Buffer | string>): Promise<void> => {
    for await (const block of readLines(stream)) {
      const { lines, firstLineNo } = block;
      if (options.rate === undefined) {
        for (let i = 0; i < lines.length; i++) addNow(parse(lines[i]!, firstLineNo + i));
      } else {
        for (let i = 0; i < lines.length; i++) {
          await add(parse(lines[i]!, firstLineNo + i));
          flushOffsets();
        }
      }
      flushOffsets();
      producer.checkFatal();
      if (producer.full) await producer.waitForRoom();
      if (progress) {
        const now = performance.now();
        if (now - lastProgress > 500) {
          lastProgress = now;
          showProgress(now);
        }
      }
    }
  };

  try {
    if (options.files.length === 0) {
      if (options.wholeFile) {
        const chunks: Buffer[] = [];
        for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
        await add(wholeRecord(Buffer.concat(chunks), options));
      } else await consumeStream(io.stdin as AsyncIterable<Buffer>);
    } else {
      for (const file of options.files) {
        source = options.files.length > 1 ? `${file}: ` : '';
        if (options.wholeFile) await add(wholeRecord(await readInput(file), options));
        else
          await consumeStream(createReadStream(file, { highWaterMark: 1024 * 1024 }).on('error', () => {}));
      }
    }
  } catch (error) {
    // Bad input stops everything: records still waiting for their batch are dropped, not sent later.
    const dropped = producer.discardUnsent();
    await producer.flush();
    flushOffsets();
    if (progress) io.stderr.write('\n');
    if (error instanceof KtError && error.code === 'KT_INVALID_INPUT' && source !== '') {
      throw new KtError(
        error.code,
        `${source}${error.message}`,
        error.hint === undefined ? {} : { hint: error.hint },
      );
    }
    if (dropped > 0 || delivered > 0) {
      io.stderr.write(
        `kt produce: stopped; ${delivered} records were delivered before the error, ${dropped} unsent were dropped\n`,
      );
    }
    throw ioError(error);
  }
  await producer.flush();
  flushOffsets();
  const elapsedMs = performance.now() - started;
  if (progress) {
    showProgress(performance.now());
    io.stderr.write('\n');
  }
  return { records: delivered, bytes: sentBytes, failed, elapsedMs };
}

/** Key, value and header bytes of a record (what the summary counts as bytes). */
function payloadBytes(r: OutRecord): number {
  let n = (r.key?.length ?? 0) + (r.value?.length ?? 0);
  if (r.headers) for (const h of r.headers) n += h.key.length + (h.value?.length ?? 0);
  return n;
}

function wholeRecord(bytes: Buffer, options: ProduceOptions): OutRecord {
  const nullMarker = options.nullMarker;
  const value = nullMarker !== undefined && bytes.equals(Buffer.from(nullMarker)) ? null : bytes;
  const r: OutRecord = { key: null, value, lineNo: 1 };
  if (options.headers && options.headers.length > 0) r.headers = options.headers;
  return r;
}

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw ioError(error);
  }
}

function ioError(error: unknown): unknown {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code === 'string' && typeof e.path === 'string') {
    return new KtError('KT_IO', `cannot read ${e.path}: ${e.code}`, { cause: error });
  }
  return error;
}

export function formatSummary(s: ProduceSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = Math.round(s.records / Math.max(seconds, 0.001));
  return `Produced ${s.records} records (${(s.bytes / 1e6).toFixed(2)} MB) in ${seconds.toFixed(2)} s, ${rate} records/s${s.failed > 0 ? `; ${s.failed} failed` : ''}`;
}
