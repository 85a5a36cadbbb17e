// A real Apache Kafka for benchmarks that need a broker as common ground for kt and its peer, through the
// shared harness (test/real-kafka/harness.ts) on a lease: a cluster of that name someone started by hand
// (`npm run kafka:start -- --name bench`) is reused and kept; one started here is stopped on release.
// So a bench stops exactly what it started.
import {
  acquireKafka,
  ensureKafkaLib,
  kafkaToolClass,
  realKafkaUnavailableReason,
  releaseKafka,
} from '../../real-kafka/harness.js';
import { javaBaseArgs, requireJava } from '../../real-kafka/lib.js';
import { type TimeCommandOptions, timeCommand } from './measure.js';
import { skipBench } from './runner.js';

// To parse a Java tool's own report (ProducerPerformance prints records/sec), use the harness's runKafkaTool.
export { runKafkaTool } from '../../real-kafka/harness.js';

export interface BenchKafka {
  /** '127.0.0.1:PORT' of the PLAINTEXT listener. */
  readonly bootstrap: string;
  /** Releases the lease; stops the broker and removes its data if this bench started it. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartBenchKafkaOptions {
  /** Harness cluster name; default 'bench'. */
  readonly name?: string;
  /** Bound on waiting for the broker to answer ApiVersions; default 120 000 ms (JVM start on a busy box). */
  readonly startTimeoutMs?: number;
}

/** Start (or lease) a real Kafka, or skipBench() with the reason it cannot run here (no Java, no jars/mvn). */
export async function startBenchKafka(options: StartBenchKafkaOptions = {}): Promise<BenchKafka> {
  const reason = await realKafkaUnavailableReason();
  if (reason !== undefined) skipBench(reason);
  const name = options.name ?? 'bench';
  const holder = process.pid;
  const log = (line: string): void => {
    process.stderr.write(`[kafka] ${line}\n`);
  };
  const instance = await acquireKafka(name, {
    holder,
    log,
    startTimeoutMs: options.startTimeoutMs ?? 120_000,
  });
  let stopped: Promise<void> | undefined;
  return {
    bootstrap: instance.bootstrap,
    stop() {
      stopped ??= releaseKafka(name, { holder, log }).then(() => undefined);
      return stopped;
    },
  };
}

export interface TimeKafkaToolOptions extends TimeCommandOptions {
  /** JVM options; default a 1 GiB heap so a peer is not starved by the harness's small tool default. */
  readonly jvmOpts?: readonly string[];
}

/**
 * Wall ms of a Kafka Java tool ('ConsoleConsumer', 'ProducerPerformance', … see test/real-kafka/tools.map)
 * run to completion, stdin/stdout to /dev/null or files like timeCommand. Includes JVM start-up (≈0.5–1 s):
 * fair when kt's side is also a fresh process (the kt CLI), otherwise prefer the tool's own figures.
 */
export async function timeKafkaTool(
  tool: string,
  args: readonly string[],
  options: TimeKafkaToolOptions = {},
): Promise<number> {
  await ensureKafkaLib();
  const { jvmOpts = ['-Xms256m', '-Xmx1g'], ...commandOptions } = options;
  return timeCommand(
    requireJava(),
    [...jvmOpts, ...javaBaseArgs(), kafkaToolClass(tool), ...args],
    commandOptions,
  );
}
