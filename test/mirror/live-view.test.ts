import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadColors } from '../../src/cli/color.js';
import {
  formatCount,
  formatMs,
  formatSeconds,
  LiveView,
  type LiveViewStream,
  renderLiveView,
} from '../../src/mirror/live-view.js';
import type { MetricsSnapshot, PartitionMetrics } from '../../src/mirror/metrics.js';
import { escapeLabelValue, renderPrometheus, startMetricsServer } from '../../src/mirror/prometheus.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

function row(topic: string, partition: number, over: Partial<PartitionMetrics> = {}): PartitionMetrics {
  return {
    topic,
    partition,
    targetTopic: `east.${topic}`,
    position: 100,
    highWatermark: 100,
    lagRecords: 0,
    lagSeconds: 0,
    recordsPerSecond: 0,
    bytesPerSecond: 0,
    latencyP50Ms: null,
    latencyP99Ms: null,
    latencyCount: 0,
    latencySumMs: 0,
    recordsCopied: 0,
    bytesCopied: 0,
    lastCopiedAgeSeconds: null,
    lastCheckpointAgeSeconds: null,
    ...over,
  };
}

function snapshot(partitions: PartitionMetrics[], over: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    sourceAlias: 'east',
    targetAlias: 'west',
    atMs: 1_700_000_000_000,
    uptimeSeconds: 12,
    totals: {
      partitions: partitions.length,
      lagRecords: partitions.reduce((n, p) => n + p.lagRecords, 0),
      lagSecondsMax: 42,
      recordsPerSecond: 12_345,
      bytesPerSecond: 3_210_000,
      latencyP50Ms: 12,
      latencyP99Ms: 1_500,
      latencyCount: 10,
      latencySumMs: 400,
      recordsCopied: 1_234_567,
      bytesCopied: 99,
      lastCheckpointAgeSeconds: null,
    },
    partitions,
    groups: [
      {
        group: 'billing',
        topic: 'orders',
        partition: 1,
        upstreamOffset: 90,
        downstreamOffset: 80,
        aheadByRecords: 4,
        ageSeconds: 3,
      },
    ],
    ...over,
  };
}

const SAMPLE = snapshot([
  row('orders', 0, {
    lagRecords: 0,
    recordsPerSecond: 500,
    bytesPerSecond: 50_000,
    latencyP50Ms: 8,
    latencyP99Ms: 20,
  }),
  row('orders', 1, {
    lagRecords: 1_500,
    lagSeconds: 42,
    recordsPerSecond: 11_845,
    bytesPerSecond: 3_160_000,
    latencyP50Ms: 12,
    latencyP99Ms: 1_500,
    lastCheckpointAgeSeconds: 3,
  }),
  row('payments', 0, { lagRecords: 20_000, lagSeconds: null }),
]);

describe('renderLiveView', () => {
  it('formats counts, seconds and milliseconds compactly', () => {
    expect([0, 999, 9_999, 12_345, 1_500_000, 250_000_000, 3e9].map(formatCount)).toEqual([
      '0',
      '999',
      '9999',
      '12.3k',
      '1.5M',
      '250M',
      '3.0G',
    ]);
    expect([null, 0, 4.24, 42, 192, 7_500, 200_000].map(formatSeconds)).toEqual([
      '?',
      '0',
      '4.2s',
      '42s',
      '3m12s',
      '2h05m',
      '2d07h',
    ]);
    expect([null, 12.4, 1_500].map(formatMs)).toEqual(['-', '12ms', '1.5s']);
  });

  it('shows a summary and the partitions lagging most, in columns', () => {
    expect(renderLiveView(SAMPLE)).toBe(
      [
        'east → west: 3 partitions, lag 21.5k (42s), 12.3k/s 3.21 MB/s, p50 12ms p99 1.5s, 1.2M copied',
        'PARTITION     LAG  LAG S  REC/S  MB/S   P50   P99  CHECKPOINT',
        'payments-0  20.0k      ?      0  0.00     -     -           -',
        'orders-1     1500    42s  11.8k  3.16  12ms  1.5s    3.0s ago',
        'orders-0        0      0    500  0.05   8ms  20ms           -',
        '',
      ].join('\n'),
    );
  });

  it('keeps to rowsMax rows and says what it left out', () => {
    const text = renderLiveView(SAMPLE, { rowsMax: 1 });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^payments-0 /);
    expect(lines[3]).toBe('… 2 more partitions, lag 1500 records');
  });

  it('cuts lines to the width so none wraps', () => {
    const lines = renderLiveView(SAMPLE, { widthMax: 40 }).trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines[0]!.endsWith('…')).toBe(true);
  });

  it('colours lagging rows yellow, long or unknown lag red, caught-up rows plain', () => {
    const tag = (name: string) => (text: string) => `<${name}>${text}</${name}>`;
    const painter = { bold: tag('b'), dim: tag('d'), red: tag('r'), yellow: tag('y'), green: tag('g') };
    const lines = renderLiveView(SAMPLE, { painter, lagSecondsAlarm: 60 }).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^<b>east → west: .*<\/b>$/);
    expect(lines[1]).toMatch(/^<d>PARTITION.*<\/d>$/);
    expect(lines[2]).toMatch(/^<r>payments-0 .*<\/r>$/);
    expect(lines[3]).toMatch(/^<y>orders-1 .*<\/y>$/);
    expect(lines[4]).toMatch(/^orders-0 /);
  });

  it('says so when there are no partitions yet', () => {
    expect(renderLiveView(snapshot([]))).toContain('(no partitions yet)');
  });
});

/** An SGR (colour/style) escape sequence; built from a string since lint forbids control characters in regex literals. */
const SGR = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`);

class FakeTty implements LiveViewStream {
  written: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 200,
    readonly rows = 50,
  ) {}
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
}

describe('LiveView (TTY wrapper)', () => {
  it('redraws in place: cursor up over the last table, clear below, then the new table', async () => {
    const tty = new FakeTty(true);
    const live = new LiveView({ snapshot: () => SAMPLE }, tty, { env: { NO_COLOR: '1' } });
    const ext = live.extension();
    expect(ext.intervalMs).toBe(1_000);
    await ext.tick();
    expect(tty.written[0]).toBe(renderLiveView(SAMPLE));
    await ext.tick();
    // 5 lines drawn: CPL 5, ED, then the table again.
    expect(tty.written[1]).toBe(`\u001b[5F\u001b[J${renderLiveView(SAMPLE)}`);
    live.log('mirror: 3 records/s');
    expect(tty.written[2]).toBe('\u001b[5F\u001b[Jmirror: 3 records/s\n');
    expect(tty.written[3]).toBe(renderLiveView(SAMPLE));
    await ext.close!();
    expect(tty.written).toHaveLength(5);
    // After the stop the table stays; later lines are plain.
    await ext.tick();
    live.log('bye');
    expect(tty.written.slice(5)).toEqual(['bye\n']);
    // NO_COLOR: no SGR colour codes anywhere, only the cursor controls.
    expect(tty.written.join('')).not.toMatch(SGR);
  });

  it('colours on a TTY when colours are on (FORCE_COLOR), never with NO_COLOR', async () => {
    const env = { FORCE_COLOR: '1' };
    await loadColors(env);
    const coloured = new FakeTty(true);
    await new LiveView({ snapshot: () => SAMPLE }, coloured, { env }).extension().tick();
    expect(coloured.written.join('')).toMatch(SGR);
    const plain = new FakeTty(true);
    await new LiveView({ snapshot: () => SAMPLE }, plain, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })
      .extension()
      .tick();
    expect(plain.written.join('')).not.toMatch(SGR);
  });

  it('several flows: one block each; start/stop redraw on its own timer and leave the last table', async () => {
    const tty = new FakeTty(true);
    const other = snapshot([row('billing', 0)], { sourceAlias: 'north', targetAlias: 'west' });
    const live = new LiveView([{ snapshot: () => SAMPLE }, { snapshot: () => other }], tty, {
      intervalMs: 10,
      env: { NO_COLOR: '1' },
    });
    live.start();
    expect(tty.written[0]).toBe(renderLiveView(SAMPLE) + renderLiveView(other));
    await new Promise((resolve) => setTimeout(resolve, 60));
    live.stop();
    const count = tty.written.length;
    expect(count).toBeGreaterThan(2);
    // Every redraw after the first moves up over both blocks (5 + 3 lines).
    for (const w of tty.written.slice(1)) expect(w.startsWith('\u001b[8F\u001b[J')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(tty.written.length).toBe(count);
  });

  it('fits the screen: fewer rows on a short terminal', async () => {
    const short = new FakeTty(true, 200, 6);
    await new LiveView({ snapshot: () => SAMPLE }, short, { env: { NO_COLOR: '1' } }).extension().tick();
    // 6 rows: summary, header, 2 partitions and the "more" line (the cursor sits on the sixth).
    expect(short.written[0]).toBe(renderLiveView(SAMPLE, { rowsMax: 2 }));
  });

  it('draws nothing off a TTY and passes log lines through', async () => {
    const pipe = new FakeTty(false);
    const live = new LiveView({ snapshot: () => SAMPLE }, pipe);
    const ext = live.extension();
    await ext.tick();
    live.log('mirror: 10 records/s');
    await ext.close!();
    expect(pipe.written).toEqual(['mirror: 10 records/s\n']);
  });
});

describe('Prometheus text', () => {
  it('is valid exposition format 0.0.4 with kt_mirror_ names, units, HELP/TYPE and labels', () => {
    const text = renderPrometheus(SAMPLE);
    const families = parsePrometheusText(text);
    for (const [name, f] of families) {
      expect(name).toMatch(/^kt_mirror_[a-z_]+$/);
      expect(f.help, name).toBeTruthy();
      expect(f.type === 'counter').toBe(name.endsWith('_total'));
      if (f.type !== 'counter' && !name.endsWith('_partitions'))
        expect(name).toMatch(/_(records|bytes|seconds|offset|per_second)$/);
    }
    const labels = { source: 'east', target: 'west', topic: 'orders', partition: '1' };
    expect(sampleValue(families, 'kt_mirror_lag_records', labels)).toBe(1500);
    expect(sampleValue(families, 'kt_mirror_lag_seconds', labels)).toBe(42);
    expect(
      sampleValue(families, 'kt_mirror_replication_latency_seconds', { ...labels, quantile: '0.99' }),
    ).toBe(1.5);
    expect(
      sampleValue(families, 'kt_mirror_replication_latency_seconds', { ...labels, quantile: '0.5' }),
    ).toBe(0.012);
    expect(sampleValue(families, 'kt_mirror_checkpoint_age_seconds', labels)).toBe(3);
    expect(sampleValue(families, 'kt_mirror_last_copy_age_seconds', labels)).toBeUndefined();
    expect(sampleValue(families, 'kt_mirror_checkpoint_ahead_records', { ...labels, group: 'billing' })).toBe(
      4,
    );
    expect(
      sampleValue(
        parsePrometheusText(renderPrometheus(snapshot([row('t', 0, { lastCopiedAgeSeconds: 2.5 })]))),
        'kt_mirror_last_copy_age_seconds',
        { topic: 't' },
      ),
    ).toBe(2.5);
    expect(sampleValue(families, 'kt_mirror_throughput_bytes_per_second', labels)).toBe(3_160_000);
    expect(sampleValue(families, 'kt_mirror_partitions', { source: 'east' })).toBe(3);
    // Unknown figures are left out, not exported as numbers.
    const payments = { topic: 'payments', partition: '0' };
    expect(sampleValue(families, 'kt_mirror_lag_seconds', payments)).toBeUndefined();
    expect(sampleValue(families, 'kt_mirror_lag_records', payments)).toBe(20_000);
    expect(sampleValue(families, 'kt_mirror_replication_latency_seconds_count', payments)).toBe(0);
  });

  it('several flows: each family once, with the samples of every flow together', () => {
    const other = snapshot([row('billing', 0, { lagRecords: 7 })], { sourceAlias: 'north' });
    const families = parsePrometheusText(renderPrometheus([SAMPLE, other]));
    expect(sampleValue(families, 'kt_mirror_lag_records', { source: 'north', topic: 'billing' })).toBe(7);
    expect(sampleValue(families, 'kt_mirror_lag_records', { source: 'east', topic: 'payments' })).toBe(
      20_000,
    );
    expect(families.get('kt_mirror_partitions')?.samples.map((s) => s.labels.source)).toEqual([
      'east',
      'north',
    ]);
    // No flows yet: HELP and TYPE only.
    const empty = parsePrometheusText(renderPrometheus([]));
    expect([...empty.values()].every((f) => f.samples.length === 0)).toBe(true);
    expect(empty.has('kt_mirror_lag_records')).toBe(true);
  });

  it('escapes label values (backslash, quote, line feed) so they read back unchanged', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const odd = 'we"ird\\alias\nx';
    const families = parsePrometheusText(renderPrometheus(snapshot([row('t', 0)], { sourceAlias: odd })));
    expect(sampleValue(families, 'kt_mirror_partitions', { source: odd })).toBe(1);
  });

  it('the checker rejects what Prometheus would (so a pass means something)', () => {
    expect(() => parsePrometheusText('a{x="\\q"} 1\n')).toThrow(/escape/);
    expect(() => parsePrometheusText('1a 1\n')).toThrow(/name/);
    expect(() => parsePrometheusText('a 1\nb 1\na 2\n')).toThrow(/together/);
    expect(() => parsePrometheusText('a 1\n# TYPE a gauge\n')).toThrow(/after its samples/);
    expect(() => parsePrometheusText('# TYPE s summary\ns 1\n')).toThrow(/quantile/);
    expect(() => parsePrometheusText('a 1\na 2\n')).toThrow(/duplicate/);
    expect(() => parsePrometheusText('a one\n')).toThrow(/value/);
  });
});

function get(url: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    // No keep-alive agent: each call is its own connection (a closed server refuses the next one).
    const req = request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startMetricsServer', () => {
  it('serves GET /metrics on 127.0.0.1, 404 elsewhere, 405 for other methods, and closes on abort', async () => {
    let scrapes = 0;
    const stop = new AbortController();
    const server = await startMetricsServer(
      {
        snapshot: () => {
          scrapes++;
          return SAMPLE;
        },
      },
      { port: 0, signal: stop.signal },
    );
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const ok = await get(server.url);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(ok.body).toBe(renderPrometheus(SAMPLE));
    expect(scrapes).toBe(1);
    expect((await get(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    expect((await get(`http://127.0.0.1:${server.port}/metricsx`)).status).toBe(404);
    expect((await get(server.url, 'POST')).status).toBe(405);
    stop.abort();
    await server.close();
    await expect(get(server.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a port in use is a KtError naming the port', async () => {
    const first = await startMetricsServer({ snapshot: () => SAMPLE }, { port: 0 });
    try {
      await expect(
        startMetricsServer({ snapshot: () => SAMPLE }, { port: first.port }),
      ).rejects.toMatchObject({
        code: 'KT_USAGE',
        message: expect.stringContaining(`--metrics-port ${first.port}`),
      });
    } finally {
      await first.close();
    }
  });
});
