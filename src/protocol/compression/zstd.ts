/**
 * zstd (attribute 4): a standard zstd frame, via zstd-napi's low-level binding (one reused context each
 * way). Level 3, Kafka's default (CompressionType.ZSTD).
 *
 * Bomb safety: a frame that declares its content size is checked against the cap before allocating;
 * frames that do not (streamed writers) are decompressed with ZSTD_decompressStream into an output
 * buffer that grows only up to the cap. The window size is limited to 2^27 (zstd's default limit too).
 */
import { DecodeError } from '../decode-error.js';
import type { Codec } from './index.js';
import { loadNative } from './native.js';

type StreamResult = [remaining: number, produced: number, consumed: number];
interface ZstdBinding {
  CCtx: new () => { compress(dst: Uint8Array, src: Uint8Array, level: number): number };
  DCtx: new () => {
    decompress(dst: Uint8Array, src: Uint8Array): number;
    decompressStream(dst: Uint8Array, src: Uint8Array): StreamResult;
    reset(directive: number): void;
  };
  ResetDirective: { sessionOnly: number };
  compressBound(size: number): number;
  getFrameContentSize(frame: Uint8Array): number | null;
  findFrameCompressedSize(frame: Uint8Array): number;
}

export const ZSTD_DEFAULT_LEVEL = 3;

export function createZstdCodec(level = ZSTD_DEFAULT_LEVEL): Codec {
  const z = loadNative<ZstdBinding>('zstd-napi/binding');
  const cctx = new z.CCtx();
  const dctx = new z.DCtx();
  let cscratch = Buffer.allocUnsafeSlow(64 * 1024);

  /** Sum of the declared content sizes of all frames, or null when one does not declare it. */
  function declaredSize(data: Uint8Array, maxBytes: number): number | null {
    let total = 0;
    let pos = 0;
    while (pos < data.length) {
      const frame = data.subarray(pos);
      const size = z.getFrameContentSize(frame);
      if (size === null) return null;
      total += size;
      if (total > maxBytes) throw new DecodeError(`zstd data declares more than ${maxBytes} bytes`, pos);
      pos += z.findFrameCompressedSize(frame);
    }
    return total;
  }

  function streamed(data: Uint8Array, maxBytes: number): Uint8Array {
    let out = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(64 * 1024, data.length * 4)));
    let produced = 0;
    let consumed = 0;
    let pending = 0;
    for (;;) {
      if (produced === out.length) {
        if (out.length >= maxBytes)
          throw new DecodeError(`zstd data decompresses to more than ${maxBytes} bytes`);
        const next = Buffer.allocUnsafe(Math.min(maxBytes, out.length * 2));
        next.set(out);
        out = next;
      }
      const [hint, p, c] = dctx.decompressStream(out.subarray(produced), data.subarray(consumed));
      produced += p;
      consumed += c;
      pending = hint;
      if (consumed === data.length && pending === 0) return out.subarray(0, produced);
      if (p === 0 && c === 0 && produced < out.length) throw new DecodeError('zstd data truncated');
    }
  }

  return {
    name: 'zstd',
    id: 4,
    compress(data) {
      const bound = z.compressBound(data.length);
      if (cscratch.length < bound) cscratch = Buffer.allocUnsafeSlow(Math.max(bound, cscratch.length * 2));
      const n = cctx.compress(cscratch, data, level);
      return cscratch.subarray(0, n);
    },
    decompress(data, maxBytes) {
      try {
        const size = declaredSize(data, maxBytes);
        if (size !== null) {
          const out = Buffer.allocUnsafe(size);
          const n = dctx.decompress(out, data);
          if (n !== size) throw new DecodeError('zstd frame content size disagrees with its data');
          return out;
        }
        dctx.reset(z.ResetDirective.sessionOnly);
        return streamed(data, maxBytes);
      } catch (err) {
        dctx.reset(z.ResetDirective.sessionOnly);
        if (err instanceof DecodeError) throw err;
        throw new DecodeError(`zstd: ${(err as Error).message}`);
      }
    },
  };
}
