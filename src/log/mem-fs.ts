/**
 * An in-memory LogFs: the storage of `kt broker start --in-memory` and of tests that want a log without a
 * disk. Files are growable byte arrays keyed by path; fsync is a no-op (nothing survives the process, which
 * is the contract of --in-memory). Directories are implied by paths, plus explicit ones from mkdirp.
 */
import type { LogFs } from './fs.js';

interface MemFile {
  data: Uint8Array;
  size: number;
}

function enoent(path: string): NodeJS.ErrnoException {
  const error = new Error(`ENOENT: no such file or directory, '${path}'`) as NodeJS.ErrnoException;
  error.code = 'ENOENT';
  return error;
}

function normalize(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

export class MemFs implements LogFs {
  private readonly files = new Map<string, MemFile>();
  private readonly dirs = new Set<string>(['/']);
  private readonly fds = new Map<number, { path: string; append: boolean }>();
  private nextFd = 3;

  open(path: string, flags: string): number {
    const p = normalize(path);
    let file = this.files.get(p);
    if (!file && flags.startsWith('r') && this.isDir(p)) {
      // Directories are opened only to fsync them, which is a no-op here.
      const fd = this.nextFd++;
      this.fds.set(fd, { path: p, append: false });
      return fd;
    }
    if (!file) {
      if (flags.startsWith('r')) throw enoent(p);
      file = { data: new Uint8Array(0), size: 0 };
      this.files.set(p, file);
    } else if (flags.startsWith('w')) {
      file.size = 0;
    }
    const fd = this.nextFd++;
    this.fds.set(fd, { path: p, append: flags.startsWith('a') });
    return fd;
  }

  close(fd: number): void {
    this.fds.delete(fd);
  }

  private fileOf(fd: number): MemFile {
    const entry = this.fds.get(fd);
    const file = entry && this.files.get(entry.path);
    if (!file) throw new Error(`EBADF: bad file descriptor ${fd}`);
    return file;
  }

  write(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    const file = this.fileOf(fd);
    const end = position + length;
    if (end > file.data.length) {
      const grown = new Uint8Array(Math.max(end, file.data.length * 2, 4096));
      grown.set(file.data.subarray(0, file.size));
      file.data = grown;
    }
    if (position > file.size) file.data.fill(0, file.size, position);
    file.data.set(buf.subarray(offset, offset + length), position);
    file.size = Math.max(file.size, end);
    return length;
  }

  read(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    const file = this.fileOf(fd);
    const n = Math.max(0, Math.min(length, file.size - position));
    buf.set(file.data.subarray(position, position + n), offset);
    return n;
  }

  fdatasync(): void {}
  fsync(): void {}

  ftruncate(fd: number, length: number): void {
    const file = this.fileOf(fd);
    if (length > file.size)
      this.write(fd, new Uint8Array(length - file.size), 0, length - file.size, file.size);
    file.size = length;
  }

  fileSize(fd: number): number {
    return this.fileOf(fd).size;
  }

  sizeOf(path: string): number {
    const p = normalize(path);
    const file = this.files.get(p);
    if (file) return file.size;
    return this.isDir(p) ? 0 : -1;
  }

  exists(path: string): boolean {
    const p = normalize(path);
    return this.files.has(p) || this.isDir(p);
  }

  private isDir(p: string): boolean {
    if (this.dirs.has(p)) return true;
    const prefix = `${p}/`;
    for (const key of this.files.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  readdir(path: string): string[] {
    const p = normalize(path);
    if (!this.isDir(p)) throw enoent(p);
    const prefix = p === '/' ? '/' : `${p}/`;
    const names = new Set<string>();
    for (const key of [...this.files.keys(), ...this.dirs]) {
      if (key.startsWith(prefix) && key.length > prefix.length)
        names.add(key.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }

  mkdirp(path: string): void {
    let p = normalize(path);
    while (p !== '/' && p !== '.' && p !== '') {
      this.dirs.add(p);
      p = p.slice(0, p.lastIndexOf('/')) || '/';
    }
  }

  rename(from: string, to: string): void {
    const f = normalize(from);
    const t = normalize(to);
    const file = this.files.get(f);
    if (file) {
      this.files.delete(f);
      this.files.set(t, file);
      for (const entry of this.fds.values()) if (entry.path === f) entry.path = t;
      return;
    }
    if (!this.isDir(f)) throw enoent(f);
    const prefix = `${f}/`;
    for (const [key, value] of [...this.files]) {
      if (key.startsWith(prefix)) {
        this.files.delete(key);
        this.files.set(t + key.slice(f.length), value);
      }
    }
    for (const dir of [...this.dirs]) {
      if (dir === f || dir.startsWith(prefix)) {
        this.dirs.delete(dir);
        this.dirs.add(t + dir.slice(f.length));
      }
    }
  }

  unlink(path: string): void {
    const p = normalize(path);
    if (!this.files.delete(p)) throw enoent(p);
  }

  /** Removes a directory and everything below it (for topic deletion). */
  removeTree(path: string): void {
    const p = normalize(path);
    const prefix = `${p}/`;
    for (const key of [...this.files.keys()]) if (key === p || key.startsWith(prefix)) this.files.delete(key);
    for (const dir of [...this.dirs]) if (dir === p || dir.startsWith(prefix)) this.dirs.delete(dir);
  }

  readFile(path: string): Uint8Array {
    const file = this.files.get(normalize(path));
    if (!file) throw enoent(path);
    return file.data.slice(0, file.size);
  }
}
