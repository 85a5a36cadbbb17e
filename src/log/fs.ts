/**
 * The file-system seam of the log core. Everything the log does to disk goes through a `LogFs`, so tests
 * can substitute `FaultyFs` (fault-fs.ts) and inject ENOSPC, EIO, fsync failures, short writes, torn
 * tails and bit flips at exact moments.
 *
 * All operations are synchronous on purpose: an append is one `pwrite` on the log owner's thread (perf.md
 * §1: awaiting a thread-pool round trip per small append caps throughput at ~250 MB/s). Positions are
 * explicit (pwrite/pread), so a failed write never moves a file cursor the log relies on.
 *
 * Thread-safety: none needed; Node runs these on the calling thread.
 */
import * as fs from 'node:fs';

export interface LogFs {
  /** open(2); flags as in fs.openSync ('r', 'r+', 'w+', 'a+', …). */
  open(path: string, flags: string): number;
  close(fd: number): void;
  /** pwrite(2): may write fewer bytes than asked (returns the count). */
  write(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  /** pread(2): returns bytes read, fewer at end of file. */
  read(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  /** fdatasync(2): data and the size; what the log needs for durability. */
  fdatasync(fd: number): void;
  /** fsync(2), used for directories after create/rename/unlink. */
  fsync(fd: number): void;
  ftruncate(fd: number, length: number): void;
  fileSize(fd: number): number;
  /** Size of a path, or -1 when it does not exist. */
  sizeOf(path: string): number;
  exists(path: string): boolean;
  readdir(path: string): string[];
  mkdirp(path: string): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  readFile(path: string): Uint8Array;
}

/** The real Node implementation. */
export const nodeFs: LogFs = {
  open: (path, flags) => fs.openSync(path, flags),
  close: (fd) => fs.closeSync(fd),
  write: (fd, buf, offset, length, position) => fs.writeSync(fd, buf, offset, length, position),
  read: (fd, buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
  fdatasync: (fd) => fs.fdatasyncSync(fd),
  fsync: (fd) => fs.fsyncSync(fd),
  ftruncate: (fd, length) => fs.ftruncateSync(fd, length),
  fileSize: (fd) => fs.fstatSync(fd).size,
  sizeOf: (path) => {
    try {
      return fs.statSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return -1;
      throw error;
    }
  },
  exists: (path) => fs.existsSync(path),
  readdir: (path) => fs.readdirSync(path),
  mkdirp: (path) => {
    fs.mkdirSync(path, { recursive: true });
  },
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (path) => fs.unlinkSync(path),
  readFile: (path) => fs.readFileSync(path),
};

/** Writes all of `length` bytes at `position`, looping over short writes. Throws what the fs throws. */
export function writeFully(
  fsys: LogFs,
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
): void {
  let done = 0;
  while (done < length) {
    const n = fsys.write(fd, buf, offset + done, length - done, position + done);
    // A zero-byte write with bytes left would spin forever; treat it as the device refusing more.
    if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    done += n;
  }
}

/** Reads up to `length` bytes at `position`, looping over short reads; returns the count (less at EOF). */
export function readFully(
  fsys: LogFs,
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
): number {
  let done = 0;
  while (done < length) {
    const n = fsys.read(fd, buf, offset + done, length - done, position + done);
    if (n <= 0) break;
    done += n;
  }
  return done;
}

/** fsync a directory so a create/rename/unlink inside it is durable. */
export function fsyncDirectory(fsys: LogFs, dir: string): void {
  const fd = fsys.open(dir, 'r');
  try {
    fsys.fsync(fd);
  } finally {
    fsys.close(fd);
  }
}

/** Writes a whole file atomically: temp file, write, fdatasync, rename over the target, fsync the dir. */
export function writeFileAtomic(fsys: LogFs, dir: string, name: string, data: Uint8Array): void {
  const target = `${dir}/${name}`;
  const temp = `${target}.tmp`;
  const fd = fsys.open(temp, 'w');
  try {
    writeFully(fsys, fd, data, 0, data.length, 0);
    fsys.fdatasync(fd);
  } finally {
    fsys.close(fd);
  }
  fsys.rename(temp, target);
  fsyncDirectory(fsys, dir);
}
