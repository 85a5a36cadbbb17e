/**
 * UTF-8 helpers for record header keys: header keys are short and almost always ASCII, where a JS loop
 * beats a native call; anything else goes through Buffer/TextDecoder.
 */

const decoder = new TextDecoder('utf-8');

/** UTF-8 byte length of `s`. */
export function utf8Length(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  }
  return n;
}

/** Writes `s` (whose UTF-8 length is `byteLength`) at `offset`; returns the offset after it. */
export function writeUtf8(buf: Uint8Array, offset: number, s: string, byteLength: number): number {
  if (byteLength === s.length) {
    for (let i = 0; i < byteLength; i++) buf[offset + i] = s.charCodeAt(i);
    return offset + byteLength;
  }
  const written = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).write(
    s,
    offset,
    byteLength,
    'utf8',
  );
  return offset + written;
}

/** Decodes `length` bytes at `offset` (bounds checked by the caller); bad UTF-8 becomes U+FFFD, like Java. */
export function readUtf8(buf: Uint8Array, offset: number, length: number): string {
  if (length <= 32) {
    let s = '';
    for (let i = 0; i < length; i++) {
      const c = buf[offset + i]!;
      if (c >= 0x80) return decoder.decode(buf.subarray(offset, offset + length));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(buf.subarray(offset, offset + length));
}
