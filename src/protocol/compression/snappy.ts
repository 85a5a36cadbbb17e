/**
 * snappy (attribute 2). Kafka's Java client writes the xerial snappy-java stream: a 16-byte header
 * (0x82 "SNAPPY" 0x00, version 1, compatible version 1) then chunks of `int32 BE length + raw snappy
 * block`, 32 KiB of input per chunk (SnappyOutputStream). librdkafka writes one plain raw block, which
 * Java reads too; so do we. The `snappy` package does the raw blocks; the framing is ours.
 *
 * Bomb safety: every raw block starts with its uncompressed length (a varint), read and summed against
 * the cap before anything is decompressed.
 */
import { DecodeError } from '../decode-error.js';
import { readUVarint } from '../varint.js';
import type { Codec } from './index.js';
import { loadNative } from './native.js';

interface SnappyModule {
  compressSync(input: Uint8Array): Buffer;
  uncompressSync(input: Uint8Array, options: { asBuffer: true }): Buffer;
}

const XERIAL_MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00] as const;
const XERIAL_HEADER_BYTES = 16;
/** Input bytes per xerial chunk, snappy-java's default block size. */
export const XERIAL_BLOCK_BYTES = 32 * 1024;

function hasXerialMagic(data: Uint8Array, at: number): boolean {
  if (data.length - at < XERIAL_HEADER_BYTES) return false;
  for (let i = 0; i < 8; i++) if (data[at + i] !== XERIAL_MAGIC[i]) return false;
  return true;
}

function uncompressedLength(block: Uint8Array, at: number): number {
  try {
    return readUVarint(block, 0);
  } catch {
    throw new DecodeError('snappy block length varint is malformed', at);
  }
}

export function createSnappyCodec(): Codec {
  const snappy = loadNative<SnappyModule>('snappy');

  function rawUncompress(block: Uint8Array, expected: number, at: number): Buffer {
    let out: Buffer;
    try {
      out = snappy.uncompressSync(block, { asBuffer: true });
    } catch (err) {
      throw new DecodeError(`snappy: ${(err as Error).message}`, at);
    }
    if (out.length !== expected) throw new DecodeError('snappy block length disagrees with its data', at);
    return out;
  }

  return {
    name: 'snappy',
    id: 2,
    compress(data) {
      const chunks = Math.max(1, Math.ceil(data.length / XERIAL_BLOCK_BYTES));
      const parts: Buffer[] = new Array(chunks);
      let total = XERIAL_HEADER_BYTES + 4 * chunks;
      for (let i = 0; i < chunks; i++) {
        const part = snappy.compressSync(data.subarray(i * XERIAL_BLOCK_BYTES, (i + 1) * XERIAL_BLOCK_BYTES));
        parts[i] = part;
        total += part.length;
      }
      const out = Buffer.allocUnsafe(total);
      for (let i = 0; i < 8; i++) out[i] = XERIAL_MAGIC[i]!;
      out.writeInt32BE(1, 8);
      out.writeInt32BE(1, 12);
      let pos = XERIAL_HEADER_BYTES;
      for (const part of parts) {
        out.writeInt32BE(part.length, pos);
        out.set(part, pos + 4);
        pos += 4 + part.length;
      }
      return out;
    },
    decompress(data, maxBytes) {
      if (!hasXerialMagic(data, 0)) {
        const expected = uncompressedLength(data, 0);
        if (expected > maxBytes)
          throw new DecodeError(`snappy data decompresses to ${expected} > ${maxBytes} bytes`);
        return rawUncompress(data, expected, 0);
      }
      // Pass 1: walk the chunks, checking lengths and summing declared sizes against the cap.
      const blocks: Array<{ at: number; end: number; size: number }> = [];
      let total = 0;
      let pos = 0;
      while (pos < data.length) {
        if (hasXerialMagic(data, pos)) {
          pos += XERIAL_HEADER_BYTES; // concatenated streams repeat the header
          continue;
        }
        if (data.length - pos < 4) throw new DecodeError('xerial snappy chunk length truncated', pos);
        const len = (data[pos]! << 24) | (data[pos + 1]! << 16) | (data[pos + 2]! << 8) | data[pos + 3]! | 0;
        const at = pos + 4;
        if (len < 0 || len > data.length - at)
          throw new DecodeError(`xerial snappy chunk length ${len}`, pos);
        const size = uncompressedLength(data.subarray(at, at + len), at);
        total += size;
        if (total > maxBytes)
          throw new DecodeError(`snappy data decompresses to more than ${maxBytes} bytes`, at);
        blocks.push({ at, end: at + len, size });
        pos = at + len;
      }
      if (blocks.length === 1) {
        const b = blocks[0]!;
        return rawUncompress(data.subarray(b.at, b.end), b.size, b.at);
      }
      const out = Buffer.allocUnsafe(total);
      let op = 0;
      for (const b of blocks) {
        out.set(rawUncompress(data.subarray(b.at, b.end), b.size, b.at), op);
        op += b.size;
      }
      return out;
    },
  };
}
