// A real Apache Kafka for captures and SASL tests: single-node KRaft like test/real-kafka/harness.ts, but
// with the listeners a capture proxy needs and a SASL listener.
//
//   INTERNAL  PLAINTEXT        the broker's own (inter-broker) listener, advertised as itself
//   EXTERNAL  PLAINTEXT        advertised at `externalAdvertisedPort` (the capture proxy's port)
//   SASL      SASL_PLAINTEXT   PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; advertised at `saslAdvertisedPort`
//
// Advertising the proxy's port is what keeps clients on the proxy: Metadata answers with the advertised
// address of the listener the request came in on, so nothing in the byte stream is rewritten.
// The harness has no hook for extra listeners, hence this small launcher on top of its lib.

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeBootstrap } from '../real-kafka/api-versions-probe.js';
import { freePorts, randomClusterId } from '../real-kafka/harness.js';
import { ensureKafkaLib, javaBaseArgs, requireJava, runFile } from '../real-kafka/lib.js';
import { sleep, terminateGroup } from '../real-kafka/proc.js';

export const SASL_USER = 'kt';
export const SASL_PASSWORD = 'kt-secret';

export interface CaptureKafka {
  internalPort: number;
  externalPort: number;
  saslPort: number;
  pid: number;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

function properties(p: {
  internal: number;
  external: number;
  sasl: number;
  controller: number;
  externalAdvertised: number;
  saslAdvertised: number;
  dataDir: string;
}): string {
  const jaas = (module: string, extra = ''): string =>
    `org.apache.kafka.common.security.${module} required${extra};`;
  return `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${p.controller}
listeners=INTERNAL://127.0.0.1:${p.internal},EXTERNAL://127.0.0.1:${p.external},SASL://127.0.0.1:${p.sasl},CONTROLLER://127.0.0.1:${p.controller}
advertised.listeners=INTERNAL://127.0.0.1:${p.internal},EXTERNAL://127.0.0.1:${p.externalAdvertised},SASL://127.0.0.1:${p.saslAdvertised}
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,SASL:SASL_PLAINTEXT
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl.plain.sasl.jaas.config=${jaas('plain.PlainLoginModule', ` user_${SASL_USER}="${SASL_PASSWORD}"`)}
listener.name.sasl.scram-sha-256.sasl.jaas.config=${jaas('scram.ScramLoginModule')}
listener.name.sasl.scram-sha-512.sasl.jaas.config=${jaas('scram.ScramLoginModule')}
log.dirs=${p.dataDir}/data
num.partitions=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.num.partitions=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=33554432
`;
}

/**
 * Start a single-node Kafka whose EXTERNAL and SASL listeners advertise the given ports (pass the real
 * ports, i.e. omit them, to talk to it directly). SCRAM credentials for SASL_USER are created at format time.
 */
export async function startCaptureKafka(
  opts: { externalAdvertisedPort?: number; saslAdvertisedPort?: number; startTimeoutMs?: number } = {},
): Promise<CaptureKafka> {
  await ensureKafkaLib();
  const java = requireJava();
  const [internal, external, sasl, controller] = (await freePorts(4)) as [number, number, number, number];
  const dataDir = await mkdtemp(join(tmpdir(), 'kt-capture-kafka-'));
  const propsFile = join(dataDir, 'server.properties');
  const logFile = join(dataDir, 'kafka.log');
  await writeFile(
    propsFile,
    properties({
      internal,
      external,
      sasl,
      controller,
      externalAdvertised: opts.externalAdvertisedPort ?? external,
      saslAdvertised: opts.saslAdvertisedPort ?? sasl,
      dataDir,
    }),
  );
  const clusterId = randomClusterId();
  const scram = (mech: string): string[] => [
    '--add-scram',
    `${mech}=[name="${SASL_USER}",password="${SASL_PASSWORD}"]`,
  ];
  const format = await runFile(
    java,
    [
      '-Xmx256m',
      ...javaBaseArgs(),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      propsFile,
      ...scram('SCRAM-SHA-256'),
      ...scram('SCRAM-SHA-512'),
    ],
    { cwd: dataDir, timeoutMs: 60_000 },
  );
  if (format.code !== 0) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`StorageTool format failed (exit ${format.code}):\n${format.stderr}${format.stdout}`);
  }
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    java,
    [
      '-Xms256m',
      '-Xmx768m',
      ...javaBaseArgs(),
      `-Dkafka.logs.dir=${join(dataDir, 'logs')}`,
      'kafka.Kafka',
      propsFile,
    ],
    { cwd: dataDir, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${java}`);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    await terminateGroup(pid, { termTimeoutMs: 10_000 });
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 90_000);
  for (;;) {
    if (exited || Date.now() > deadline) {
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n');
      await stop();
      throw new Error(`capture Kafka did not start:\n${tail}`);
    }
    // Probe the EXTERNAL port directly: it is up once the broker serves clients.
    if ((await probeBootstrap(`127.0.0.1:${external}`, 1_000)).ok) break;
    await sleep(250);
  }
  return { internalPort: internal, externalPort: external, saslPort: sasl, pid, dataDir, logFile, stop };
}
