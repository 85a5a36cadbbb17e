/**
 * The compression codecs of RecordBatch attributes bits 0–2, each behind one small interface. Codec
 * implementations are loaded lazily so that a missing native module only matters to batches that use it.
 */
import { DecodeError } from '../decode-error.js';

export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Default cap on one batch's decompressed size: a decompression bomb fails instead of allocating. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface Codec {
  readonly name: Exclude<CompressionCodec, 'none'>;
  /** Attribute value (1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  readonly id: number;
  /** Compresses `data` in Kafka's framing for this codec. `data` may be a reused scratch buffer. */
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

type CodecLoader = () => Codec;
const loaders = new Map<number, CodecLoader>();
const loaded = new Map<number, Codec>();

/** Registers the implementation behind a codec id (the codec modules call this). */
export function registerCodec(id: number, loader: CodecLoader): void {
  loaders.set(id, loader);
  loaded.delete(id);
}

/** The codec for attribute value `id` (1..4). Throws DecodeError for unknown ids. */
export function codecById(id: number): Codec {
  const c = loaded.get(id);
  if (c) return c;
  const loader = loaders.get(id);
  if (!loader) throw new DecodeError(`unknown compression codec ${id}`);
  const codec = loader();
  loaded.set(id, codec);
  return codec;
}

/** The codec named `name` (not 'none'). */
export function codecByName(name: Exclude<CompressionCodec, 'none'>): Codec {
  return codecById(CODEC_IDS[name]);
}
