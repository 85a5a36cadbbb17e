/**
 * A growable output buffer that records are rendered into directly: bytes are copied in, strings are
 * encoded in place. Rendering a million small records this way makes no per-record Buffer objects
 * (they dominated garbage collection when each record produced its own pieces).
 */
/** Buffer#utf8Write: Node's direct encoder (Buffer#write's argument handling cost more than the copy). */
interface Utf8Writer {
  utf8Write(s: string, offset: number, length: number): number;
}

export class ByteSink {
  private buf: Buffer;
  length = 0;

  constructor(initialBytes = 1024 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  text(s: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    this.ensure(s.length * 3);
    this.length += (this.buf as unknown as Utf8Writer).utf8Write(
      s,
      this.length,
      this.buf.length - this.length,
    );
  }

  /** Hands out what was written (a fresh buffer: the sink starts a new one) and resets. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(Math.max(this.buf.length, 64 * 1024));
    this.length = 0;
    return out;
  }
}
