// RecordBatch v2 encode and decode: kt's codec vs kafkajs 2.2.4's own record-batch codec, in one process,
// same inputs. kafkajs side: Record() per message + RecordBatch() as its Produce v3 encoder does
// (src/protocol/requests/produce/v3/request.js), and recordBatch/v0/decoder.js over a Decoder, as its Fetch
// path does. kafkajs has no lz4 built in; it gets lz4-napi's frame API through its codec slot, the same
// native library kt compresses with (kafkajs-lz4 would use the slower `lz4` package), so the lz4 rows
// compare the record codecs, not the compressors.
//
// Figures are records/s (higher is better). kt decodes with CRC-32C verification on (kafkajs never
// verifies CRCs), so the decode rows charge kt with work kafkajs skips.
import { createRequire } from 'node:module';
import { decodeRecordBatch, encodeRecordBatch, type RecordInput } from '../../src/protocol/record-batch.js';
import { type Comparison, defineBench, nowMs, peer, throughput } from './lib/index.js';

const require = createRequire(import.meta.url);

/** Wall time each case call spends looping over its operation; long enough to dwarf timer noise. */
const CASE_MS = 600;

interface KafkajsEncoder {
  buffer: Buffer;
}
interface KafkajsCodec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
interface Kafkajs {
  Record: (m: { offsetDelta: number; timestampDelta: number; key: Buffer | null; value: Buffer }) => unknown;
  RecordBatch: (opts: Record<string, unknown>) => Promise<KafkajsEncoder>;
  decode: (decoder: unknown) => Promise<{ records: unknown[] }>;
  Decoder: new (buf: Buffer) => unknown;
  Types: { None: number; LZ4: number };
}

function loadKafkajs(): Kafkajs {
  const compression = require('kafkajs/src/protocol/message/compression') as {
    Types: { None: number; LZ4: number };
    Codecs: Record<number, () => KafkajsCodec>;
  };
  const lz4 = require('lz4-napi') as {
    compressFrameSync(b: Buffer): Buffer;
    decompressFrameSync(b: Buffer): Buffer;
  };
  const codec: KafkajsCodec = {
    compress: async (encoder) => lz4.compressFrameSync(encoder.buffer),
    decompress: async (buffer) => lz4.decompressFrameSync(buffer),
  };
  compression.Codecs[compression.Types.LZ4] = () => codec;
  return {
    Record: require('kafkajs/src/protocol/recordBatch/record/v0'),
    RecordBatch: require('kafkajs/src/protocol/recordBatch/v0').RecordBatch,
    decode: require('kafkajs/src/protocol/recordBatch/v0/decoder'),
    Decoder: require('kafkajs/src/protocol/decoder'),
    Types: compression.Types,
  };
}

/** Log-line-like text: compresses about 2–4× with lz4, like real payloads (not all zeros, not random). */
function payload(size: number, i: number): Buffer {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'user', 'order', 'item', 'ok', 'GET', 'POST', '/api/v1'];
  let s = `{"seq":${i},"ts":${1_700_000_000_000 + i * 37},"msg":"`;
  let x = i * 2654435761;
  while (s.length < size - 2) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += `${words[x % words.length]} ${x % 1000} `;
  }
  return Buffer.from(`${s.slice(0, size - 2)}"}`);
}

interface Shape {
  valueBytes: number;
  recordsPerBatch: number;
  codec: 'none' | 'lz4';
}

const SHAPES: Shape[] = [
  { valueBytes: 100, recordsPerBatch: 1000, codec: 'none' },
  { valueBytes: 1024, recordsPerBatch: 100, codec: 'none' },
  { valueBytes: 100, recordsPerBatch: 1000, codec: 'lz4' },
  { valueBytes: 1024, recordsPerBatch: 100, codec: 'lz4' },
];

/** Runs `op` (one batch) for CASE_MS and returns records/s. */
async function loop(recordsPerCall: number, op: () => unknown): Promise<number> {
  const start = nowMs();
  let calls = 0;
  let elapsed = 0;
  do {
    const r = op();
    if (r instanceof Promise) await r;
    calls++;
    elapsed = nowMs() - start;
  } while (elapsed < CASE_MS);
  return throughput(calls * recordsPerCall, elapsed / 1000);
}

function comparisons(kjs: Kafkajs): Comparison[] {
  const out: Comparison[] = [];
  for (const shape of SHAPES) {
    const n = shape.recordsPerBatch;
    const values = Array.from({ length: n }, (_, i) => payload(shape.valueBytes, i));
    const ktRecords: RecordInput[] = values.map((value) => ({ key: null, value }));
    const kjsMessages = values.map((value) => ({ key: null, value }));
    const kjsCodec = shape.codec === 'lz4' ? kjs.Types.LZ4 : kjs.Types.None;
    const name = `${shape.valueBytes}B_${shape.codec}`;
    const label = `${shape.valueBytes} B × ${n}/batch, ${shape.codec}`;

    const kafkajsEncode = async () => {
      const now = Date.now();
      const records = kjsMessages.map((m, i) => kjs.Record({ ...m, offsetDelta: i, timestampDelta: 0 }));
      const batch = await kjs.RecordBatch({
        compression: kjsCodec,
        records,
        firstTimestamp: now,
        maxTimestamp: now,
        lastOffsetDelta: n - 1,
      });
      return batch.buffer;
    };
    out.push({
      label: `encode ${label}`,
      metrics: [{ name: `encode_${name}_records_per_s`, unit: 'records/s', better: 'higher' }],
      kt: {
        name: 'kt encodeRecordBatch',
        run: () => loop(n, () => encodeRecordBatch(ktRecords, { compression: shape.codec })),
      },
      peer: peer('kafkajs RecordBatch', () => loop(n, kafkajsEncode)),
    });

    // Both decoders read the same bytes (a batch kt encoded; kafkajs reads it the same as its own).
    const bytes = Buffer.from(encodeRecordBatch(ktRecords, { compression: shape.codec }));
    out.push({
      label: `decode ${label}`,
      metrics: [{ name: `decode_${name}_records_per_s`, unit: 'records/s', better: 'higher' }],
      kt: { name: 'kt decodeRecordBatch (CRC on)', run: () => loop(n, () => decodeRecordBatch(bytes)) },
      peer: peer('kafkajs recordBatch decoder', () => loop(n, () => kjs.decode(new kjs.Decoder(bytes)))),
    });
  }
  return out;
}

/** Before anything is timed: kafkajs decodes what kt encodes and kt decodes what kafkajs encodes. */
async function crossCheck(kjs: Kafkajs): Promise<void> {
  const values = Array.from({ length: 50 }, (_, i) => payload(200, i));
  for (const [codec, kjsCodec] of [
    ['none', kjs.Types.None],
    ['lz4', kjs.Types.LZ4],
  ] as const) {
    const ours = Buffer.from(
      encodeRecordBatch(
        values.map((value) => ({ key: null, value })),
        { compression: codec },
      ),
    );
    const theirs = (await kjs.decode(new kjs.Decoder(ours))).records as Array<{ value: Buffer }>;
    const records = values.map((value, i) =>
      kjs.Record({ key: null, value, offsetDelta: i, timestampDelta: 0 }),
    );
    const now = Date.now();
    const kjsBatch = await kjs.RecordBatch({
      compression: kjsCodec,
      records,
      firstTimestamp: now,
      maxTimestamp: now,
      lastOffsetDelta: 49,
    });
    const back = decodeRecordBatch(kjsBatch.buffer).records;
    values.forEach((v, i) => {
      if (!theirs[i]?.value.equals(v) || !Buffer.from(back[i]?.value ?? []).equals(v)) {
        throw new Error(`kt and kafkajs disagree on ${codec} record ${i}`);
      }
    });
  }
}

export default defineBench<Kafkajs>({
  description: 'RecordBatch v2 encode/decode, null keys, no headers: kt vs kafkajs 2.2.4 codec (records/s)',
  rounds: 3,
  warmup: 1,
  async setup() {
    const kjs = loadKafkajs();
    await crossCheck(kjs);
    return kjs;
  },
  comparisons: (kjs) => comparisons(kjs),
});
