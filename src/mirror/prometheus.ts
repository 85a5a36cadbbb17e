/**
 * `--metrics-port`: the mirror's figures (metrics.ts) as Prometheus text exposition format 0.0.4 on
 * `GET /metrics`, from a plain node:http server bound to 127.0.0.1 unless told otherwise (the figures
 * name topics: exposing them beyond the host is the operator's choice).
 *
 * Names follow Prometheus conventions: `kt_mirror_` prefix, base units in the name (`_seconds`,
 * `_bytes`, `_records`), `_total` on counters. Labels: source, target (the aliases), topic (the source
 * topic), partition. Latency is a summary (quantiles 0.5 and 0.99 over recent acknowledgements, `_sum`
 * and `_count` over all of them) so `rate(_sum)/rate(_count)` gives a true mean.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KtError } from '../errors/kt-error.js';
import type { MetricsSnapshot, PartitionMetrics } from './metrics.js';

/** Families without samples, for an endpoint with no flows yet (HELP/TYPE still tell what will come). */
const EMPTY: MetricsSnapshot = {
  sourceAlias: '',
  targetAlias: '',
  atMs: 0,
  uptimeSeconds: 0,
  totals: {
    partitions: 0,
    lagRecords: 0,
    lagSecondsMax: null,
    recordsPerSecond: 0,
    bytesPerSecond: 0,
    latencyP50Ms: null,
    latencyP99Ms: null,
    latencyCount: 0,
    latencySumMs: 0,
    recordsCopied: 0,
    bytesCopied: 0,
    lastCheckpointAgeSeconds: null,
  },
  partitions: [],
  groups: [],
};

/** Anything with snapshots: a MirrorMetrics. */
export interface SnapshotSource {
  snapshot(): MetricsSnapshot;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Label value escaping of the text format: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escaping: backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value: Go's float formatting accepted by Prometheus (NaN, +Inf, -Inf spelled out). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

type Labels = Record<string, string>;

interface Family {
  name: string;
  type: 'gauge' | 'counter' | 'summary';
  help: string;
  samples: { suffix?: string; labels: Labels; value: number }[];
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** The families of one flow's snapshot, in a fixed order. */
function familiesOf(snapshot: MetricsSnapshot): Family[] {
  const flow: Labels = { source: snapshot.sourceAlias, target: snapshot.targetAlias };
  const of = (p: PartitionMetrics): Labels => ({ ...flow, topic: p.topic, partition: String(p.partition) });
  const perPartition = (
    name: string,
    type: Family['type'],
    help: string,
    pick: (p: PartitionMetrics) => number | null,
  ): Family => ({
    name,
    type,
    help,
    samples: snapshot.partitions.flatMap((p) => {
      const value = pick(p);
      // An unknown figure (nothing copied yet) is left out rather than exported as a made-up number.
      return value === null ? [] : [{ labels: of(p), value }];
    }),
  });
  return [
    {
      name: 'kt_mirror_partitions',
      type: 'gauge',
      help: 'Source partitions the mirror copies.',
      samples: [{ labels: flow, value: snapshot.totals.partitions }],
    },
    {
      name: 'kt_mirror_uptime_seconds',
      type: 'gauge',
      help: 'Seconds since the metrics collector started.',
      samples: [{ labels: flow, value: snapshot.uptimeSeconds }],
    },
    perPartition(
      'kt_mirror_lag_records',
      'gauge',
      'Records on the source not yet copied (high watermark minus position).',
      (p) => p.lagRecords,
    ),
    perPartition(
      'kt_mirror_lag_seconds',
      'gauge',
      'RPO estimate: 0 without lag, else seconds since the CreateTime of the newest record copied.',
      (p) => p.lagSeconds,
    ),
    perPartition(
      'kt_mirror_source_position_offset',
      'gauge',
      'Next source offset to copy.',
      (p) => p.position,
    ),
    perPartition(
      'kt_mirror_source_high_watermark_offset',
      'gauge',
      'Source high watermark last seen.',
      (p) => p.highWatermark,
    ),
    perPartition(
      'kt_mirror_copied_records_total',
      'counter',
      'Records copied and acknowledged by the target since start.',
      (p) => p.recordsCopied,
    ),
    perPartition(
      'kt_mirror_copied_bytes_total',
      'counter',
      'Record bytes copied and acknowledged by the target since start.',
      (p) => p.bytesCopied,
    ),
    perPartition(
      'kt_mirror_throughput_records_per_second',
      'gauge',
      'Records copied per second over the rate window.',
      (p) => p.recordsPerSecond,
    ),
    perPartition(
      'kt_mirror_throughput_bytes_per_second',
      'gauge',
      'Bytes copied per second over the rate window.',
      (p) => p.bytesPerSecond,
    ),
    {
      name: 'kt_mirror_replication_latency_seconds',
      type: 'summary',
      help: 'Target acknowledgement time minus the CreateTime of the newest record acknowledged.',
      samples: snapshot.partitions.flatMap((p) => [
        ...(p.latencyP50Ms === null
          ? []
          : [{ labels: { ...of(p), quantile: '0.5' }, value: p.latencyP50Ms / 1000 }]),
        ...(p.latencyP99Ms === null
          ? []
          : [{ labels: { ...of(p), quantile: '0.99' }, value: p.latencyP99Ms / 1000 }]),
        { suffix: '_sum', labels: of(p), value: p.latencySumMs / 1000 },
        { suffix: '_count', labels: of(p), value: p.latencyCount },
      ]),
    },
    perPartition(
      'kt_mirror_last_copy_age_seconds',
      'gauge',
      'Seconds since the target last acknowledged records of the partition (a stall shows as growth with lag).',
      (p) => p.lastCopiedAgeSeconds,
    ),
    perPartition(
      'kt_mirror_checkpoint_age_seconds',
      'gauge',
      'Seconds since the newest consumer-group checkpoint of the partition was written.',
      (p) => p.lastCheckpointAgeSeconds,
    ),
    {
      name: 'kt_mirror_checkpoint_ahead_records',
      type: 'gauge',
      help: 'Source records a consumer group consumed that the mirror has not copied yet: lost if failing over now.',
      samples: snapshot.groups.flatMap((g) =>
        g.aheadByRecords === null
          ? []
          : [
              {
                labels: { ...flow, group: g.group, topic: g.topic, partition: String(g.partition) },
                value: g.aheadByRecords,
              },
            ],
      ),
    },
  ];
}

/**
 * Renders one or more flows' snapshots as Prometheus text format 0.0.4: each family once (HELP, TYPE),
 * then its samples of every flow together, as the format requires.
 */
export function renderPrometheus(snapshots: MetricsSnapshot | readonly MetricsSnapshot[]): string {
  const perFlow = (Array.isArray(snapshots) ? snapshots : [snapshots]).map(familiesOf);
  const families = (perFlow[0] ?? familiesOf(EMPTY)).map((f, i) => ({
    ...f,
    samples: perFlow.flatMap((flow) => flow[i]!.samples),
  }));
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      lines.push(`${f.name}${s.suffix ?? ''}${labelText(s.labels)} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface MetricsServerOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Closes the server when aborted (the mirror's stop signal). */
  signal?: AbortSignal;
}

export interface MetricsServer {
  /** The bound port (the one asked for, or the one picked for port 0). */
  port: number;
  host: string;
  url: string;
  close(): Promise<void>;
}

/** Serves `GET /metrics` (and HEAD); 404 for other paths, 405 for other methods. Resolves once listening. */
export async function startMetricsServer(
  /** One flow's collector, or every flow's (the array is read at each scrape, so flows may be added). */
  metrics: SnapshotSource | readonly SnapshotSource[],
  options: MetricsServerOptions,
): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: try /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    let body: string;
    try {
      body = renderPrometheus(
        Array.isArray(metrics) ? metrics.map((m) => m.snapshot()) : (metrics as SnapshotSource).snapshot(),
      );
    } catch (error) {
      res
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`${(error as Error).message}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': PROMETHEUS_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new KtError('KT_USAGE', `--metrics-port ${options.port} on ${host}: ${error.code ?? error.message}`, {
          hint: 'Choose a free port (or 0 for any) with --metrics-port',
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // A scraper's idle keep-alive connection must not hold up the mirror's exit.
      server.closeAllConnections();
    });
    return closed;
  };
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  if (options.signal?.aborted) void close();
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { port, host, url: `http://${urlHost}:${port}/metrics`, close };
}
