/**
 * The compression codecs of RecordBatch attributes bits 0–2, each behind one small interface. Codec
 * implementations are loaded lazily so that a missing native module only matters to batches that use it.
 */
import { DecodeError } from '../decode-error.js';
import { createGzipCodec } from './gzip.js';
import { createLz4Codec } from './lz4.js';
import { createSnappyCodec } from './snappy.js';
import { createZstdCodec } from './zstd.js';

export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Default cap on one batch's decompressed size: a decompression bomb fails instead of allocating. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface Codec {
  readonly name: Exclude<CompressionCodec, 'none'>;
  /** Attribute value (1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  readonly id: number;
  /**
   * Compresses `data` in Kafka's framing for this codec. `data` may be a reused scratch buffer, and the
   * result may be one too: it is valid until the next call (encodeRecordBatch copies it at once).
   */
  compress(data: Uint8Array): Uint8Array;
  /**
   * Decompresses `data`; throws DecodeError when it is malformed or would exceed `maxBytes`, checked
   * before (or while) allocating, never after.
   */
  decompress(data: Uint8Array, maxBytes: number): Uint8Array;
}

export const CODEC_IDS: Readonly<Record<CompressionCodec, number>> = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
};
export const CODEC_NAMES: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const loaded: Array<Codec | undefined> = [];

function create(id: number): Codec {
  switch (id) {
    case 1:
      return createGzipCodec();
    case 2:
      return createSnappyCodec();
    case 3:
      return createLz4Codec();
    case 4:
      return createZstdCodec();
    default:
      throw new DecodeError(`unknown compression codec ${id}`);
  }
}

/**
 * The codec for attribute value `id` (1..4), created on first use. Throws DecodeError for unknown ids
 * (5–7 are unassigned), and an Error when the codec's native module cannot be loaded.
 */
export function codecById(id: number): Codec {
  let codec = loaded[id];
  if (codec === undefined) {
    codec = create(id);
    loaded[id] = codec;
  }
  return codec;
}

/** The codec named `name` (not 'none'). */
export function codecByName(name: Exclude<CompressionCodec, 'none'>): Codec {
  return codecById(CODEC_IDS[name]);
}
