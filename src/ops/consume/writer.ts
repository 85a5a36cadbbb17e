/**
 * The data sink of `kt consume`: renders records (JSONL, a template, console style) into a buffer and
 * writes it to stdout in large chunks, honouring backpressure. A closed stdout (EPIPE: `kt consume t |
 * head`) is not an error: `closed` turns true and the consumer stops quietly.
 */
import type { Writable } from 'node:stream';
import { type ConsoleFormatOptions, renderConsole } from '../../format/console.js';
import { type ConsumedRecord, recordToJsonl } from '../../format/jsonl.js';
import { parseTemplate, renderTemplate } from '../../format/template.js';

export type OutputMode =
  | { kind: 'jsonl' }
  | { kind: 'template'; template: string }
  | { kind: 'console'; options: ConsoleFormatOptions };

const FLUSH_BYTES = 256 * 1024;

export class RecordWriter {
  private parts: Array<Buffer | string> = [];
  private bytes = 0;
  closed = false;
  private readonly render: (r: ConsumedRecord) => void;

  constructor(
    private readonly out: Writable,
    mode: OutputMode,
  ) {
    out.on('error', (error: NodeJS.ErrnoException) => {
      // EPIPE and friends: the reader went away. Anything else is reported by the caller's next write.
      this.closed = true;
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.error = error;
    });
    if (mode.kind === 'jsonl') {
      this.render = (r) => {
        const line = `${recordToJsonl(r)}\n`;
        this.parts.push(line);
        this.bytes += line.length;
      };
    } else if (mode.kind === 'template') {
      const tokens = parseTemplate(mode.template, '--format');
      this.render = (r) => this.pushAll(renderTemplate(tokens, r));
    } else {
      const options = mode.options;
      this.render = (r) => this.pushAll(renderConsole(options, r));
    }
  }

  error: Error | undefined;

  private pushAll(pieces: Array<Buffer | string>): void {
    for (const p of pieces) {
      this.parts.push(p);
      this.bytes += p.length;
    }
  }

  /** Renders a record; returns true when the buffer should be flushed. */
  write(r: ConsumedRecord): boolean {
    this.render(r);
    return this.bytes >= FLUSH_BYTES;
  }

  /** Writes what is buffered; resolves when stdout can take more (or is closed). */
  async flush(): Promise<void> {
    if (this.parts.length === 0 || this.closed) {
      this.parts = [];
      this.bytes = 0;
      return;
    }
    const chunk = Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    this.parts = [];
    this.bytes = 0;
    const ok = this.out.write(chunk);
    if (ok) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('close', done);
        this.out.off('error', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
      this.out.on('error', done);
    });
  }
}
