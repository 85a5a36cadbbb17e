/**
 * `kt mirror run` as a service: one or more flows (from flags or a --config file) sharing one client per
 * cluster, each flow a runMirror with its extensions (checkpoints, group offset sync, heartbeats,
 * metrics), one metrics endpoint and one live view for all of them. Stops when `signal` aborts.
 */
import { clusterClientOptions } from '../ops/cluster/connect.js';
import { ClusterClient } from '../protocol/client/cluster.js';
import { checkpointExtension } from './checkpoints.js';
import { flowRunOptions, type MirrorFlowConfig } from './config-file.js';
import { heartbeatExtension } from './heartbeats.js';
import { LiveView } from './live-view.js';
import { MirrorMetrics } from './metrics.js';
import { type MetricsServer, startMetricsServer } from './prometheus.js';
import { type MirrorExtension, type MirrorSummary, type MirrorView, runMirror } from './run.js';

export interface ServiceOptions {
  flows: readonly MirrorFlowConfig[];
  signal: AbortSignal;
  refreshIntervalMs?: number;
  statsIntervalMs?: number;
  checkpointIntervalMs?: number;
  /** 0: no heartbeats. Default 1 s. */
  heartbeatIntervalMs?: number;
  /** Serve Prometheus metrics on this port (127.0.0.1 unless metricsHost). */
  metricsPort?: number;
  metricsHost?: string;
  /** A terminal to redraw the live view on; undefined for plain log lines. */
  live?: NodeJS.WriteStream;
  log: (line: string) => void;
}

export interface FlowSummary extends MirrorSummary {
  sourceAlias: string;
  targetAlias: string;
}

type ExtensionFactory = (view: MirrorView) => MirrorExtension;

/** kt checkpoints every 5 s by default (MM2: 60 s), so a failover loses at most that much progress. */
const CHECKPOINT_INTERVAL_MS_DEFAULT = 5_000;

export async function runMirrorService(options: ServiceOptions): Promise<FlowSummary[]> {
  const clients = new Map<string, ClusterClient>();
  for (const flow of options.flows) {
    for (const ref of [flow.source, flow.target]) {
      if (!clients.has(ref.alias))
        clients.set(ref.alias, new ClusterClient(clusterClientOptions(ref.connection)));
    }
  }
  const prefix = options.flows.length > 1;
  // One flow failing stops them all (each flushes what it acknowledged), then the first error is thrown.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort();
  const allMetrics: MirrorMetrics[] = [];
  let server: MetricsServer | undefined;
  const live = options.live ? new LiveView(allMetrics, options.live) : undefined;
  // On a terminal, log lines go above the redrawn table; the periodic stats lines give way to it.
  const baseLog = live?.enabled ? (line: string) => live.log(line) : options.log;
  stop.signal.addEventListener('abort', () => baseLog('mirror: stopping (flushing progress)…'), {
    once: true,
  });
  try {
    // Before any flow starts: a port in use is a usage error, not a failure mid-run.
    if (options.metricsPort !== undefined) {
      server = await startMetricsServer(allMetrics, {
        port: options.metricsPort,
        ...(options.metricsHost !== undefined ? { host: options.metricsHost } : {}),
        signal: stop.signal,
      });
      baseLog(`mirror: metrics on ${server.url}`);
    }
    live?.start();
    await Promise.all([...clients.values()].map((c) => c.connect()));
    const settled = await Promise.allSettled(
      options.flows.map(async (flow): Promise<FlowSummary> => {
        const name = `${flow.source.alias}->${flow.target.alias}`;
        const log = prefix ? (line: string) => baseLog(`[${name}] ${line}`) : baseLog;
        const metrics = new MirrorMetrics();
        allMetrics.push(metrics);
        const extensions: ExtensionFactory[] = [
          metrics.extension,
          // Built before the run starts: a bad --groups regex is a usage error, not a failed tick.
          metrics.withCheckpoints(
            checkpointExtension({
              groups: flow.groups ?? '.*',
              groupsExclude: flow.groupsExclude,
              intervalMs: options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS_DEFAULT,
              syncGroupOffsets: flow.syncGroupOffsets,
            }),
          ),
        ];
        if (options.heartbeatIntervalMs !== 0) {
          extensions.push(heartbeatExtension({ intervalMs: options.heartbeatIntervalMs ?? 1_000 }));
        }
        const summary = await runMirror({
          source: clients.get(flow.source.alias)!,
          target: clients.get(flow.target.alias)!,
          ...flowRunOptions(flow, {}),
          ...(options.refreshIntervalMs !== undefined
            ? { refreshIntervalMs: options.refreshIntervalMs }
            : {}),
          ...(live?.enabled
            ? { statsIntervalMs: 0 }
            : options.statsIntervalMs !== undefined
              ? { statsIntervalMs: options.statsIntervalMs }
              : {}),
          signal: stop.signal,
          extensions,
          log,
        }).catch((error: unknown) => {
          stop.abort();
          throw error;
        });
        return { ...summary, sourceAlias: flow.source.alias, targetAlias: flow.target.alias };
      }),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<FlowSummary>).value);
  } finally {
    live?.stop();
    await server?.close();
    options.signal.removeEventListener('abort', onAbort);
    await Promise.all([...clients.values()].map((c) => c.close().catch(() => undefined)));
  }
}
