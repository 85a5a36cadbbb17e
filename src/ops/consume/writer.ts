/**
 * The data sink of `kt consume`: renders records (JSONL, a template, console style) straight into a
 * ByteSink and writes it to stdout in large chunks, honouring backpressure. A closed stdout (EPIPE:
 * `kt consume t | head`) is not an error: `closed` turns true and the consumer stops quietly.
 */
import type { Writable } from 'node:stream';
import { type ConsoleFormatOptions, renderConsole } from '../../format/console.js';
import { type ConsumedRecord, writeJsonl } from '../../format/jsonl.js';
import { ByteSink } from '../../format/sink.js';
import { parseTemplate, renderTemplate } from '../../format/template.js';

export type OutputMode =
  | { kind: 'jsonl' }
  | { kind: 'template'; template: string }
  | { kind: 'console'; options: ConsoleFormatOptions };

const FLUSH_BYTES = 1024 * 1024;

export class RecordWriter {
  private readonly sink = new ByteSink(FLUSH_BYTES + 64 * 1024);
  closed = false;
  error: Error | undefined;
  private readonly render: (r: ConsumedRecord) => void;

  constructor(
    private readonly out: Writable,
    mode: OutputMode,
  ) {
    out.on('error', (error: NodeJS.ErrnoException) => {
      // EPIPE and friends: the reader went away. Anything else is reported once the run ends.
      this.closed = true;
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.error = error;
    });
    const sink = this.sink;
    if (mode.kind === 'jsonl') {
      this.render = (r) => writeJsonl(r, sink);
    } else if (mode.kind === 'template') {
      const tokens = parseTemplate(mode.template, '--format');
      this.render = (r) => renderTemplate(tokens, r, sink);
    } else {
      const options = mode.options;
      this.render = (r) => renderConsole(options, r, sink);
    }
  }

  /** Renders a record; returns true when the buffer should be flushed. */
  write(r: ConsumedRecord): boolean {
    this.render(r);
    return this.sink.length >= FLUSH_BYTES;
  }

  /** Writes what is buffered; resolves when stdout can take more (or is closed). */
  async flush(): Promise<void> {
    if (this.sink.length === 0) return;
    const chunk = this.sink.take();
    if (this.closed) return;
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
