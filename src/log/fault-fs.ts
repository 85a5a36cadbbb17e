/**
 * FaultyFs: a LogFs over a real one that fails on command, for tests of the log's error handling
 * (TigerBeetle's "storage with simulated faults"). Faults are queued with `inject` and fire on the Nth
 * matching call; each fires once. Kinds:
 *  - `ENOSPC`, `EIO`: the call throws an errno-style error and has no effect.
 *  - `short`: a write stores only the first half of its bytes and returns that count (legal pwrite).
 *  - `torn`: a write stores the first half of its bytes, then throws EIO (a crash-like partial write).
 *  - `bitflip`: a read returns its data with one bit flipped (media corruption).
 * Operations: write, read, fdatasync, fsync, ftruncate, open, rename.
 *
 * Thread-safety: none; single-threaded use.
 */
import type { LogFs } from './fs.js';

export type FaultKind = 'ENOSPC' | 'EIO' | 'short' | 'torn' | 'bitflip';
export type FaultOp = 'write' | 'read' | 'fdatasync' | 'fsync' | 'ftruncate' | 'open' | 'rename';

interface Fault {
  op: FaultOp;
  kind: FaultKind;
  /** Fire on the Nth matching call from now (1 = the next). */
  remaining: number;
  /** Only calls whose path (or fd's path) ends with this match, when set. */
  pathSuffix: string | undefined;
}

function errno(code: 'ENOSPC' | 'EIO', op: string): Error {
  return Object.assign(new Error(`${code}: injected fault in ${op}`), { code });
}

export class FaultyFs implements LogFs {
  private readonly faults: Fault[] = [];
  private readonly paths = new Map<number, string>();
  /** Faults that have fired, for assertions. */
  fired = 0;

  constructor(private readonly inner: LogFs) {}

  inject(op: FaultOp, kind: FaultKind, options: { nth?: number; pathSuffix?: string } = {}): void {
    this.faults.push({ op, kind, remaining: options.nth ?? 1, pathSuffix: options.pathSuffix });
  }

  clear(): void {
    this.faults.length = 0;
  }

  get pending(): number {
    return this.faults.length;
  }

  private take(op: FaultOp, path: string | undefined): Fault | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      if (f.op !== op) continue;
      if (f.pathSuffix !== undefined && !(path ?? '').endsWith(f.pathSuffix)) continue;
      f.remaining -= 1;
      if (f.remaining > 0) return undefined;
      this.faults.splice(i, 1);
      this.fired += 1;
      return f;
    }
    return undefined;
  }

  private simple(op: FaultOp, path: string | undefined): void {
    const f = this.take(op, path);
    if (f === undefined) return;
    throw errno(f.kind === 'ENOSPC' ? 'ENOSPC' : 'EIO', op);
  }

  open(path: string, flags: string): number {
    this.simple('open', path);
    const fd = this.inner.open(path, flags);
    this.paths.set(fd, path);
    return fd;
  }
  close(fd: number): void {
    this.paths.delete(fd);
    this.inner.close(fd);
  }
  write(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    const f = this.take('write', this.paths.get(fd));
    if (f === undefined) return this.inner.write(fd, buf, offset, length, position);
    if (f.kind === 'ENOSPC' || f.kind === 'EIO') throw errno(f.kind, 'write');
    const half = Math.max(1, length >> 1);
    const n = this.inner.write(fd, buf, offset, Math.min(half, length), position);
    if (f.kind === 'torn') throw errno('EIO', 'write (torn)');
    return n;
  }
  read(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    const f = this.take('read', this.paths.get(fd));
    if (f === undefined) return this.inner.read(fd, buf, offset, length, position);
    if (f.kind === 'ENOSPC' || f.kind === 'EIO') throw errno('EIO', 'read');
    const n = this.inner.read(fd, buf, offset, length, position);
    if (f.kind === 'bitflip' && n > 0) {
      const at = offset + ((n * 7) >> 3);
      buf[at] = buf[at]! ^ 0x10;
    }
    return n;
  }
  fdatasync(fd: number): void {
    this.simple('fdatasync', this.paths.get(fd));
    this.inner.fdatasync(fd);
  }
  fsync(fd: number): void {
    this.simple('fsync', this.paths.get(fd));
    this.inner.fsync(fd);
  }
  ftruncate(fd: number, length: number): void {
    this.simple('ftruncate', this.paths.get(fd));
    this.inner.ftruncate(fd, length);
  }
  fileSize(fd: number): number {
    return this.inner.fileSize(fd);
  }
  sizeOf(path: string): number {
    return this.inner.sizeOf(path);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  readdir(path: string): string[] {
    return this.inner.readdir(path);
  }
  mkdirp(path: string): void {
    this.inner.mkdirp(path);
  }
  rename(from: string, to: string): void {
    this.simple('rename', from);
    this.inner.rename(from, to);
  }
  unlink(path: string): void {
    this.inner.unlink(path);
  }
  readFile(path: string): Uint8Array {
    return this.inner.readFile(path);
  }
}
