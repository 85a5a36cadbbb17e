// The three replicators the mirror benchmark races, each started as a process it can stop again:
// `kt mirror run`, Apache Kafka's MirrorMaker 2 (dedicated mode, from the harness jars) and per-partition
// `kcat -C | kcat -P` pipes. Each returns a RunningTool; the caller decides when the copy is done.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKafkaLib, spawnKafkaTool } from '../../real-kafka/harness.js';

/**
 * The repo's built CLI by default. KT_BENCH_MIRROR_KT_BIN points at another build's bin/run.js (e.g. a clone
 * of a commit built with `tsc`), so a run measures a fixed build while dist/ of a shared tree changes.
 */
export const KT_BIN =
  process.env.KT_BENCH_MIRROR_KT_BIN || fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
const STDERR_KEEP_BYTES = 4096;
const STOP_TIMEOUT_MS = 30_000;
/** MirrorMaker 2 gets the same heap as the bench's other Java peers (timeKafkaTool's default). */
const MM2_JVM_OPTS = ['-Xms256m', '-Xmx1g'];

export interface RunningTool {
  readonly name: string;
  /** Set when the process ended on its own with a failure (non-zero exit, foreign signal). */
  failure(): string | undefined;
  /** True once the process has exited (for any reason). */
  exited(): boolean;
  /** Resolves when the process has exited on its own or after stop(). */
  readonly closed: Promise<void>;
  /** SIGTERM (the tool's clean stop), SIGKILL after a bound; resolves once it is gone. */
  stop(): Promise<void>;
}

interface WatchOptions {
  /** Signal the whole process group (the child was spawned detached, e.g. a shell pipeline). */
  readonly group?: boolean;
}

/** Wraps a child process: keeps the tail of its stderr, tracks its exit, stops it within a bound. */
function watch(name: string, child: ChildProcess, options: WatchOptions = {}): RunningTool {
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_BYTES);
  });
  let stopping = false;
  let hasExited = false;
  let failure: string | undefined;
  const closed = new Promise<void>((resolve) => {
    child.on('error', (err) => {
      failure ??= `cannot run ${name}: ${err.message}`;
      hasExited = true;
      resolve();
    });
    child.on('close', (code, signal) => {
      hasExited = true;
      if (!stopping && (code !== 0 || signal !== null)) {
        const tail = stderr.trim().split('\n').slice(-5).join(' | ');
        failure ??= `${name} ${signal !== null ? `killed by ${signal}` : `exited ${code}`}: ${tail}`;
      }
      resolve();
    });
  });
  const signal = (sig: NodeJS.Signals): void => {
    if (hasExited || child.pid === undefined) return;
    try {
      if (options.group) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // Already gone.
    }
  };
  let stopped: Promise<void> | undefined;
  return {
    name,
    failure: () => failure,
    exited: () => hasExited,
    closed,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        signal('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          closed.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          signal('SIGKILL');
          await closed;
        }
      })();
      return stopped;
    },
  };
}

export interface FlowOptions {
  readonly source: string;
  readonly target: string;
  /** Source topic; copied to `<sourceAlias>.<topic>` by kt and MirrorMaker 2. */
  readonly topic: string;
  readonly sourceAlias: string;
  readonly targetAlias: string;
}

/** `kt mirror run` (the built CLI, like a user runs it, no heartbeats) copying `topic` under fresh aliases. */
export function startKtMirror(flow: FlowOptions, extraNodeArgs: readonly string[] = []): RunningTool {
  const child = spawn(
    process.execPath,
    [
      ...extraNodeArgs,
      KT_BIN,
      'mirror',
      'run',
      '--source',
      flow.source,
      '--target',
      flow.target,
      '--topics',
      flow.topic,
      '--source-alias',
      flow.sourceAlias,
      '--target-alias',
      flow.targetAlias,
      '--stats-interval',
      '3600',
      // MirrorMaker 2 runs without heartbeats here (and without checkpoints; kt has no groups to
      // checkpoint in this bench), so kt does too.
      '--heartbeat-interval',
      '0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  return watch('kt mirror run', child);
}

/**
 * mm2.properties for one flow: one task per partition, every internal topic with replication factor 1
 * (single-broker clusters), no ACL sync, no checkpoints or heartbeats (kt's run has neither on the data
 * path either), and the plugin scan MirrorMaker itself recommends (otherwise ~10 s of start-up).
 */
export function mirrorMakerProperties(flow: FlowOptions, tasks: number): string {
  const { sourceAlias: s, targetAlias: t } = flow;
  return [
    `clusters = ${s}, ${t}`,
    `${s}.bootstrap.servers = ${flow.source}`,
    `${t}.bootstrap.servers = ${flow.target}`,
    `${s}->${t}.enabled = true`,
    `${t}->${s}.enabled = false`,
    `${s}->${t}.topics = ${flow.topic.replaceAll('.', '\\\\.')}`,
    `tasks.max = ${tasks}`,
    'replication.factor = 1',
    'offset-syncs.topic.replication.factor = 1',
    'checkpoints.topic.replication.factor = 1',
    'heartbeats.topic.replication.factor = 1',
    'config.storage.replication.factor = 1',
    'offset.storage.replication.factor = 1',
    'status.storage.replication.factor = 1',
    'sync.topic.acls.enabled = false',
    'emit.checkpoints.enabled = false',
    'emit.heartbeats.enabled = false',
    'sync.group.offsets.enabled = false',
    'plugin.discovery = service_load',
    '',
  ].join('\n');
}

/** MirrorMaker 2 in dedicated mode (org.apache.kafka.connect.mirror.MirrorMaker) for one flow. */
export async function startMirrorMaker2(flow: FlowOptions, tasks: number, dir: string): Promise<RunningTool> {
  await ensureKafkaLib();
  const file = join(dir, `mm2-${flow.sourceAlias}.properties`);
  await writeFile(file, mirrorMakerProperties(flow, tasks));
  const child = spawnKafkaTool('MirrorMaker', [file], {
    jvmOpts: MM2_JVM_OPTS,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return watch('MirrorMaker 2', child);
}

export interface KcatPipeOptions {
  readonly source: string;
  readonly target: string;
  readonly topic: string;
  readonly targetTopic: string;
  readonly partitions: number;
  /** Bulk copy: each consumer exits at the partition's end (-e). Live phase: follow, unbuffered (-u). */
  readonly follow: boolean;
}

/**
 * The bash script running one `kcat -C -p i | kcat -P -p i` pipe per partition, all in parallel (pipefail,
 * so a failing consumer fails its pipe; `wait -n` per job, so the first failing pipe's status becomes the
 * script's). Throws on an argument that is not a plain host:port list or topic name.
 */
export function kcatPipeScript(options: KcatPipeOptions): string {
  const safe = /^[A-Za-z0-9._:,-]+$/;
  for (const v of [options.source, options.target, options.topic, options.targetTopic]) {
    if (!safe.test(v)) throw new Error(`unsafe kcat argument ${JSON.stringify(v)}`);
  }
  // -u unbuffers the consumer's stdout and the producer's stdin; without it the producer holds lines
  // until its input buffer fills, which a live trickle never does.
  const consume = options.follow ? '-o beginning -u' : '-o beginning -e';
  const produce = options.follow ? ' -u' : '';
  const pipes = Array.from(
    { length: options.partitions },
    (_, p) =>
      `kcat -C -q -b ${options.source} -t ${options.topic} -p ${p} ${consume} -f '%s\\n' | ` +
      `kcat -P -q -b ${options.target} -t ${options.targetTopic} -p ${p}${produce} &`,
  );
  return `set -o pipefail\n${pipes.join('\n')}\nfor _ in ${'x '.repeat(options.partitions)}; do wait -n || exit $?; done\n`;
}

/**
 * Starts kcatPipeScript in its own process group. kcat copies values only (no keys, headers or
 * timestamps: less work than kt and MirrorMaker 2 do); the target topic must exist with the partitions.
 */
export function startKcatPipes(options: KcatPipeOptions): RunningTool {
  const child = spawn('bash', ['-c', kcatPipeScript(options)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  return watch('kcat pipes', child, { group: true });
}
