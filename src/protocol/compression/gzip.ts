/** gzip (attribute 1): node:zlib, synchronous. The output cap is zlib's own maxOutputLength. */
import { gunzipSync, gzipSync, constants as zc } from 'node:zlib';
import { DecodeError } from '../decode-error.js';
import type { Codec } from './index.js';

export function createGzipCodec(level = zc.Z_DEFAULT_COMPRESSION): Codec {
  return {
    name: 'gzip',
    id: 1,
    compress(data) {
      return gzipSync(data, { level });
    },
    decompress(data, maxBytes) {
      try {
        // Several gzip members are read in turn, as Java's GZIPInputStream does.
        return gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ERR_BUFFER_TOO_LARGE') {
          throw new DecodeError(`gzip data decompresses to more than ${maxBytes} bytes`);
        }
        throw new DecodeError(`gzip: ${(err as Error).message}`);
      }
    },
  };
}
