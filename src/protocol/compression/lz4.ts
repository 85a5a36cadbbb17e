/**
 * lz4 (attribute 3): the LZ4 frame format (KIP-57; magic 0x184D2204). Compression is lz4-napi's block API
 * inside a frame written here. Decompression parses the frame here and decodes each block with lz4-napi's
 * block decoder, told how much room it has (so a bomb fails at the cap instead of allocating), or with
 * the JS block decoder below for dependent-block frames. lz4-napi's decompressFrameSync is not used: it has
 * no output bound, and its frame path measured 3–10× slower than its block path (perf.md §3).
 *
 * Checksums (header, block, content) are not verified: the batch CRC-32C already covers these bytes, and
 * Kafka's old magic 0/1 lz4 writer computed the header checksum wrongly (KAFKA-3160), so skipping it also
 * reads those.
 */
import { DecodeError } from '../decode-error.js';
import type { Codec } from './index.js';
import { loadNative } from './native.js';

interface Lz4Module {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Uint8Array): Buffer;
}

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

function u32le(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

class Output {
  buf: Uint8Array;
  pos = 0;
  constructor(
    initial: number,
    readonly maxBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, Math.min(initial, maxBytes)));
  }
  /** Ensures room for `n` more bytes, or throws when that would pass the cap. */
  reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    if (need > this.maxBytes)
      throw new DecodeError(`lz4 data decompresses to more than ${this.maxBytes} bytes`);
    const next = Buffer.allocUnsafe(Math.min(this.maxBytes, Math.max(need, this.buf.length * 2)));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

/**
 * Decodes one LZ4 block `src[ip..iend)` into `out` at out.pos, never past `limit` (an absolute position:
 * the block's maximum size or the cap, whichever is lower), growing out.buf on demand. Matches may reach
 * back into earlier blocks of the frame (dependent blocks).
 */
function decodeBlock(src: Uint8Array, ip: number, iend: number, out: Output, limit: number): void {
  let dst = out.buf;
  let op = out.pos;
  for (;;) {
    if (ip >= iend) throw new DecodeError('lz4 block truncated', ip);
    const token = src[ip++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (ip >= iend) throw new DecodeError('lz4 literal length truncated', ip);
        b = src[ip++]!;
        lit += b;
      } while (b === 255);
    }
    if (lit > iend - ip) throw new DecodeError('lz4 literals overrun the block', ip);
    if (lit > limit - op) throw tooLarge(out, ip);
    if (op + lit > dst.length) {
      out.pos = op;
      out.reserve(lit);
      dst = out.buf;
    }
    if (lit < 32) {
      for (let i = 0; i < lit; i++) dst[op + i] = src[ip + i]!;
    } else {
      dst.set(src.subarray(ip, ip + lit), op);
    }
    ip += lit;
    op += lit;
    if (ip === iend) break; // the last sequence holds literals only
    if (iend - ip < 2) throw new DecodeError('lz4 match offset truncated', ip);
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > op) throw new DecodeError(`lz4 match offset ${offset} is out of range`, ip);
    let len = (token & 15) + 4;
    if (len === 19) {
      let b: number;
      do {
        if (ip >= iend) throw new DecodeError('lz4 match length truncated', ip);
        b = src[ip++]!;
        len += b;
      } while (b === 255);
    }
    if (len > limit - op) throw tooLarge(out, ip);
    if (op + len > dst.length) {
      out.pos = op;
      out.reserve(len);
      dst = out.buf;
    }
    let from = op - offset;
    if (offset >= len && len >= 32) {
      dst.copyWithin(op, from, from + len);
      op += len;
    } else {
      // Overlapping matches repeat the last `offset` bytes: a forward byte copy does exactly that.
      const end = op + len;
      while (op < end) dst[op++] = dst[from++]!;
    }
  }
  out.pos = op;
}

function tooLarge(out: Output, at: number): DecodeError {
  return new DecodeError(`lz4 data decompresses to more than ${out.maxBytes} bytes`, at);
}

/**
 * A native LZ4 block decoder taking lz4-napi's size-prepended input (4 bytes LE: the most it may write,
 * then the block) and returning what it decoded; it throws when the block needs more room.
 */
export type NativeBlockDecoder = (sizePrepended: Buffer) => Buffer;

let blockScratch = Buffer.allocUnsafeSlow(64 * 1024 + 4);

function nativeDecodeBlock(
  decode: NativeBlockDecoder,
  src: Uint8Array,
  ip: number,
  size: number,
  out: Output,
  room: number,
): void {
  if (blockScratch.length < size + 4) blockScratch = Buffer.allocUnsafeSlow(size + 4);
  blockScratch.writeUInt32LE(room, 0);
  blockScratch.set(src.subarray(ip, ip + size), 4);
  let decoded: Buffer;
  try {
    decoded = decode(blockScratch.subarray(0, size + 4));
  } catch (err) {
    throw new DecodeError(`lz4 block: ${(err as Error).message}`, ip);
  }
  out.reserve(decoded.length);
  out.buf.set(decoded, out.pos);
  out.pos += decoded.length;
}

/**
 * Decompresses one or more concatenated LZ4 frames (skippable frames are skipped). Frames of independent
 * blocks go through `native` when given (lz4-napi's block decoder, ≈2 GB/s, bounded by the room we
 * declare); dependent-block frames, or no native decoder, use the JS block decoder.
 */
export function decompressLz4Frames(
  data: Uint8Array,
  maxBytes: number,
  native?: NativeBlockDecoder,
): Uint8Array {
  let out: Output | undefined;
  let ip = 0;
  const n = data.length;
  while (ip < n) {
    if (n - ip < 4) throw new DecodeError('lz4 frame magic truncated', ip);
    const magic = u32le(data, ip);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (n - ip < 8) throw new DecodeError('lz4 skippable frame truncated', ip);
      const skip = u32le(data, ip + 4);
      if (skip > n - ip - 8) throw new DecodeError('lz4 skippable frame overruns', ip);
      ip += 8 + skip;
      continue;
    }
    if (magic !== FRAME_MAGIC) throw new DecodeError(`lz4 frame magic 0x${magic.toString(16)}`, ip);
    ip += 4;
    if (n - ip < 3) throw new DecodeError('lz4 frame descriptor truncated', ip);
    const flg = data[ip]!;
    const bd = data[ip + 1]!;
    if (flg >>> 6 !== 1) throw new DecodeError(`lz4 frame version ${flg >>> 6}`, ip);
    const independent = (flg & 0x20) !== 0;
    const blockChecksum = (flg & 0x10) !== 0;
    const contentSizeSet = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const dictId = (flg & 0x01) !== 0;
    const blockMaxCode = (bd >>> 4) & 7;
    if (blockMaxCode < 4) throw new DecodeError(`lz4 block size code ${blockMaxCode}`, ip + 1);
    const blockMax = 1 << (2 * blockMaxCode + 8);
    const descEnd = ip + 2 + (contentSizeSet ? 8 : 0) + (dictId ? 4 : 0) + 1; // + header checksum
    if (descEnd > n) throw new DecodeError('lz4 frame descriptor truncated', ip);
    // Without a declared content size, guess 4× the input (typical ratios are 2–6×) and grow on demand.
    let initial = Math.max(4096, n * 4);
    if (contentSizeSet) {
      const size = u32le(data, ip + 2) + u32le(data, ip + 6) * 0x100000000;
      if (size > maxBytes - (out?.pos ?? 0)) {
        throw new DecodeError(`lz4 frame declares ${size} bytes, more than ${maxBytes}`, ip + 2);
      }
      initial = size;
    }
    ip = descEnd;
    if (out === undefined) out = new Output(initial, maxBytes);
    for (;;) {
      if (n - ip < 4) throw new DecodeError('lz4 block header truncated', ip);
      const word = u32le(data, ip);
      ip += 4;
      if (word === 0) break; // EndMark
      const size = word & 0x7fffffff;
      if (size > n - ip) throw new DecodeError(`lz4 block of ${size} bytes overruns`, ip);
      if (size > blockMax) throw new DecodeError(`lz4 block of ${size} bytes exceeds ${blockMax}`, ip);
      if (word & 0x80000000) {
        out.reserve(size);
        out.buf.set(data.subarray(ip, ip + size), out.pos);
        out.pos += size;
      } else {
        const limit = Math.min(maxBytes, out.pos + blockMax);
        if (native !== undefined && independent)
          nativeDecodeBlock(native, data, ip, size, out, limit - out.pos);
        else decodeBlock(data, ip, ip + size, out, limit);
      }
      ip += size + (blockChecksum ? 4 : 0);
    }
    ip += contentChecksum ? 4 : 0;
    if (ip > n) throw new DecodeError('lz4 content checksum truncated', n);
  }
  if (out === undefined) return new Uint8Array(0);
  return out.buf.subarray(0, out.pos);
}

/** Block size we write: 64 KiB, what Kafka's Java writer uses (KafkaLZ4BlockOutputStream). */
const WRITE_BLOCK_BYTES = 64 * 1024;
/** Frame descriptor we write: FLG 0x60 (version 1, independent blocks, no checksums), BD 0x40 (64 KiB). */
const WRITE_FLG = 0x60;
const WRITE_BD = 0x40;
/** Header checksum of exactly that descriptor: (xxHash32(0x60 0x40, seed 0) >> 8) & 0xff. */
const WRITE_HC = 0x82;

export function createLz4Codec(): Codec {
  const lz4 = loadNative<Lz4Module>('lz4-napi');
  const nativeBlock: NativeBlockDecoder = (input) => lz4.uncompressSync(input);
  return {
    name: 'lz4',
    id: 3,
    /**
     * Frames are assembled here around lz4-napi's block compressor: its frame API picks up to 4 MiB
     * blocks (slow to allocate and heavy for Java readers' per-block buffers) and runs ≈2–3× slower than
     * its block API (perf.md §3).
     */
    compress(data) {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const count = Math.ceil(buf.length / WRITE_BLOCK_BYTES);
      const blocks: Buffer[] = new Array(count);
      const stored: boolean[] = new Array(count);
      let total = 7 + 4; // magic + descriptor + HC, EndMark
      for (let i = 0; i < count; i++) {
        const chunk = buf.subarray(i * WRITE_BLOCK_BYTES, (i + 1) * WRITE_BLOCK_BYTES);
        // compressSync prepends the uncompressed size (4 bytes LE), which the frame format does not want.
        const c = lz4.compressSync(chunk).subarray(4);
        stored[i] = c.length >= chunk.length; // incompressible: store as is (high bit of the size)
        blocks[i] = stored[i] ? chunk : c;
        total += 4 + blocks[i]!.length;
      }
      const out = Buffer.allocUnsafe(total);
      out.writeUInt32LE(FRAME_MAGIC, 0);
      out[4] = WRITE_FLG;
      out[5] = WRITE_BD;
      out[6] = WRITE_HC;
      let pos = 7;
      for (let i = 0; i < count; i++) {
        const b = blocks[i]!;
        out.writeUInt32LE(stored[i] ? (b.length | 0x80000000) >>> 0 : b.length, pos);
        out.set(b, pos + 4);
        pos += 4 + b.length;
      }
      out.writeUInt32LE(0, pos);
      return out;
    },
    decompress: (data, maxBytes) => decompressLz4Frames(data, maxBytes, nativeBlock),
  };
}
