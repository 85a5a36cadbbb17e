/**
 * `kt mirror run` on a terminal: a small table of the partitions that lag most, redrawn in place every
 * second below the log lines (cursor up + clear to end of screen; no alternate screen, so the last table
 * and every log line stay in the scrollback). Off a TTY it draws nothing and log lines pass through:
 * scripts and log collectors get run.ts's plain periodic lines only.
 *
 * renderLiveView is pure (snapshot → text) and tested as such; LiveView is the thin TTY wrapper.
 */
import { colorEnabled, colors, type Painter } from '../cli/color.js';
import type { MetricsSnapshot, MirrorMetrics, PartitionMetrics } from './metrics.js';
import type { MirrorExtension } from './run.js';

export interface RenderOptions {
  /** Partitions shown (the ones lagging most). Default 10. */
  rowsMax?: number;
  /** Lines are cut to this many characters (the terminal width) so none wraps. Default: no cut. */
  widthMax?: number;
  painter?: Painter;
  /** Rows lagging at least this many seconds (or lagging with no age known) are red. Default 60. */
  lagSecondsAlarm?: number;
}

const identity = (text: string) => text;
const PLAIN: Painter = { bold: identity, dim: identity, red: identity, yellow: identity, green: identity };

/** 1234 → "1234", 12345 → "12.3k", 1.2e6 → "1.2M". */
export function formatCount(n: number): string {
  if (n < 10_000) return String(Math.round(n));
  for (const [unit, size] of [
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ] as const) {
    if (n >= size) return `${(n / size).toFixed(n >= size * 100 ? 0 : 1)}${unit}`;
  }
  return String(Math.round(n));
}

/** Seconds as "0", "4.2s", "3m12s", "2h05m", "3d04h"; null as "?". */
export function formatSeconds(s: number | null): string {
  if (s === null) return '?';
  if (s === 0) return '0';
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** Milliseconds as "12ms", "1.5s", "3m12s"; null as "-". */
export function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  return formatSeconds(ms / 1000);
}

const formatMBps = (bytesPerSecond: number) => (bytesPerSecond / 1e6).toFixed(2);

/** Most lag first: records, then seconds, then name (a stable order for equal rows). */
function byLag(a: PartitionMetrics, b: PartitionMetrics): number {
  return (
    b.lagRecords - a.lagRecords ||
    (b.lagSeconds ?? Infinity) - (a.lagSeconds ?? Infinity) ||
    (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)
  );
}

const HEAD = ['PARTITION', 'LAG', 'LAG S', 'REC/S', 'MB/S', 'P50', 'P99', 'CHECKPOINT'];
const RIGHT = new Set([1, 2, 3, 4, 5, 6, 7]);

/** The live view's text for one snapshot: a summary line, a header and the top rows by lag. */
export function renderLiveView(snapshot: MetricsSnapshot, options: RenderOptions = {}): string {
  const rowsMax = options.rowsMax ?? 10;
  const width = options.widthMax ?? Infinity;
  const paint = options.painter ?? PLAIN;
  const alarm = options.lagSecondsAlarm ?? 60;
  const t = snapshot.totals;
  // Short enough for an 80-column terminal in the common case; the table carries the detail.
  const summary =
    `${snapshot.sourceAlias} → ${snapshot.targetAlias}: ${t.partitions} partitions, ` +
    `lag ${formatCount(t.lagRecords)} (${formatSeconds(t.lagSecondsMax ?? (t.lagRecords > 0 ? null : 0))}), ` +
    `${formatCount(t.recordsPerSecond)}/s ${formatMBps(t.bytesPerSecond)} MB/s, ` +
    `p50 ${formatMs(t.latencyP50Ms)} p99 ${formatMs(t.latencyP99Ms)}, ${formatCount(t.recordsCopied)} copied`;
  const shown = [...snapshot.partitions].sort(byLag).slice(0, rowsMax);
  const rows = shown.map((p) => [
    `${p.topic}-${p.partition}`,
    formatCount(p.lagRecords),
    formatSeconds(p.lagSeconds),
    formatCount(p.recordsPerSecond),
    formatMBps(p.bytesPerSecond),
    formatMs(p.latencyP50Ms),
    formatMs(p.latencyP99Ms),
    p.lastCheckpointAgeSeconds === null ? '-' : `${formatSeconds(p.lastCheckpointAgeSeconds)} ago`,
  ]);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (RIGHT.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  // Cut before painting: escape codes do not take columns, and a cut through one would garble the line.
  const cut = (text: string) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text);
  const out = [paint.bold(cut(summary)), paint.dim(cut(line(HEAD)))];
  for (const [i, p] of shown.entries()) {
    const text = cut(line(rows[i]!));
    const late = p.lagRecords > 0 && (p.lagSeconds === null || p.lagSeconds >= alarm);
    out.push(late ? paint.red(text) : p.lagRecords > 0 ? paint.yellow(text) : text);
  }
  const hidden = snapshot.partitions.length - shown.length;
  if (hidden > 0) {
    const rest = [...snapshot.partitions].sort(byLag).slice(rowsMax);
    const lag = rest.reduce((n, p) => n + p.lagRecords, 0);
    out.push(paint.dim(cut(`… ${hidden} more partitions, lag ${formatCount(lag)} records`)));
  }
  if (snapshot.partitions.length === 0) out.push(paint.dim('(no partitions yet)'));
  return `${out.join('\n')}\n`;
}

/** What the live view writes to: process.stderr, or a fake in tests. */
export interface LiveViewStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  write(text: string): boolean;
}

export interface LiveViewOptions {
  rowsMax?: number;
  /** Redraw interval. Default 1 s. */
  intervalMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Cursor to the start of the line `n` lines up (CPL), then clear to the end of the screen (ED). */
const erase = (lines: number) => (lines > 0 ? `\u001b[${lines}F\u001b[J` : '');

/**
 * The TTY wrapper: pass `extension` to runMirror and route the mirror's log lines through `log`, so a
 * line is printed above the table instead of being overwritten by the next redraw.
 */
export class LiveView {
  readonly enabled: boolean;
  private drawn = 0;
  private closed = false;

  constructor(
    /** One flow's collector or every flow's (read at each redraw): one block per flow. */
    private readonly metrics: Pick<MirrorMetrics, 'snapshot'> | readonly Pick<MirrorMetrics, 'snapshot'>[],
    private readonly stream: LiveViewStream = process.stderr,
    private readonly options: LiveViewOptions = {},
  ) {
    this.enabled = stream.isTTY === true;
  }

  private block(): string {
    const env = this.options.env ?? process.env;
    const sources = Array.isArray(this.metrics)
      ? this.metrics
      : [this.metrics as Pick<MirrorMetrics, 'snapshot'>];
    // The whole view must fit on the screen: cursor-up cannot reach lines scrolled off the top, which
    // would then be left behind on every redraw. Each flow's block is 3 lines plus its rows.
    const screenRows = this.stream.rows ?? 50;
    const fitting = Math.floor((screenRows - 1) / Math.max(1, sources.length)) - 3;
    const options: RenderOptions = {
      rowsMax: Math.max(1, Math.min(this.options.rowsMax ?? 10, fitting)),
      widthMax: Math.max(20, (this.stream.columns ?? 120) - 1),
      painter: colorEnabled(this.stream, env) ? colors(this.stream, env) : PLAIN,
    };
    return sources.map((m) => renderLiveView(m.snapshot(), options)).join('');
  }

  /** Redraws the table in place (a no-op off a TTY or after close). */
  redraw(): void {
    if (!this.enabled || this.closed) return;
    const text = this.block();
    this.stream.write(erase(this.drawn) + text);
    this.drawn = text.split('\n').length - 1;
  }

  /** Writes a log line; on a TTY above the table, which is drawn again below it. */
  log(line: string): void {
    if (!this.enabled || this.closed || this.drawn === 0) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.stream.write(`${erase(this.drawn)}${line}\n`);
    this.drawn = 0;
    this.redraw();
  }

  private timer: NodeJS.Timeout | undefined;

  /**
   * Redraws every interval on its own timer until stop(): for a service running several flows (one
   * view for all). A single mirror can pass `extension` instead.
   */
  start(): void {
    if (!this.enabled || this.timer || this.closed) return;
    this.redraw();
    this.timer = setInterval(() => this.redraw(), this.options.intervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Draws a last time and leaves the table on the terminal; later log lines are plain. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.redraw();
    this.closed = true;
  }

  /** The extension factory for MirrorOptions.extensions: redraws every interval, a last time on stop. */
  readonly extension = (): MirrorExtension => ({
    name: 'live view',
    intervalMs: this.options.intervalMs ?? 1_000,
    tick: async () => this.redraw(),
    close: async () => this.stop(),
  });
}

/** Shorthand when the log lines need not go through the view: `extensions: [liveViewExtension(m)]`. */
export function liveViewExtension(
  metrics: Pick<MirrorMetrics, 'snapshot'>,
  stream: LiveViewStream = process.stderr,
  options: LiveViewOptions = {},
): () => MirrorExtension {
  return new LiveView(metrics, stream, options).extension;
}
