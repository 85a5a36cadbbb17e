// The cluster fixture: run a suite once per selected target (KT_TEST_TARGET=real|embedded|both).
//
//   import { describeClusters } from '../support/clusters.js';
//
//   describeClusters('topics', (cluster) => {
//     it('creates a topic', async () => {
//       const topic = cluster.uniqueTopic('create');          // deleted after this test
//       const admin = cluster.kafkajs().admin();
//       ...cluster.bootstrap, cluster.target ('real' | 'embedded')...
//     });
//   });
//
// - The suite is titled `NAME [real]` / `NAME [embedded]`. A selected target that cannot run here (no
//   Java, no startBroker yet; global-setup.ts prints why, once) is registered as skipped, so skipped runs
//   stay visible. A suite may support fewer targets (`{ targets: ['real'] }`); when none of them is
//   selected it is registered as skipped too.
// - real: the shared real Kafka `test` that global-setup.ts started (or reused) for the run.
//   embedded: one startBroker({ port: 0 }) per suite, closed after it.
// - `bootstrap` is known once the suite's beforeAll ran: read it inside tests and hooks, not at collection.
// - After each test, topics named by uniqueTopic() are deleted and groups named by uniqueGroup() are
//   deleted (a group that still has members is left, with a warning: disconnect your consumers).

import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaConfig } from 'kafkajs';
import kafkajs from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, inject } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded.js';
import type { ClusterTarget } from './targets.js';

export type { ClusterTarget } from './targets.js';

export interface ClusterFixture {
  readonly target: ClusterTarget;
  /** 'host:port'; throws if read before the suite's beforeAll. */
  readonly bootstrap: string;
  /** A fresh topic name (legal in Kafka, unique across runs and workers), deleted after the test. */
  uniqueTopic(prefix?: string): string;
  /** A fresh consumer group id, deleted after the test. */
  uniqueGroup(prefix?: string): string;
  /** A kafkajs client for this cluster (quiet logger, short retries); extra config is merged in. */
  kafkajs(config?: Partial<KafkaConfig>): Kafka;
}

export interface DescribeClustersOptions {
  /** Targets this suite supports (default both); intersected with KT_TEST_TARGET. */
  targets?: ClusterTarget[];
}

const { Kafka: KafkaClient, logLevel } = kafkajs;
let nameCounter = 0;

function uniqueName(kind: string, prefix: string, target: ClusterTarget): string {
  const safe = prefix.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || kind;
  return `kt-${safe}-${target}-${process.pid}-${++nameCounter}-${randomBytes(3).toString('hex')}`;
}

class Fixture implements ClusterFixture {
  private bootstrapValue: string | undefined;
  private embedded: EmbeddedBroker | undefined;
  private readonly topics = new Set<string>();
  private readonly groups = new Set<string>();

  constructor(readonly target: ClusterTarget) {}

  get bootstrap(): string {
    if (this.bootstrapValue === undefined) {
      throw new Error('cluster.bootstrap read before the suite started: read it inside a test or hook');
    }
    return this.bootstrapValue;
  }

  uniqueTopic(prefix = 'topic'): string {
    const name = uniqueName('topic', prefix, this.target);
    this.topics.add(name);
    return name;
  }

  uniqueGroup(prefix = 'group'): string {
    const name = uniqueName('group', prefix, this.target);
    this.groups.add(name);
    return name;
  }

  kafkajs(config: Partial<KafkaConfig> = {}): Kafka {
    return new KafkaClient({
      clientId: 'kt-test',
      brokers: [this.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 100 },
      ...config,
    });
  }

  async setUp(): Promise<void> {
    if (this.target === 'real') {
      const bootstrap = inject('ktRealBootstrap');
      if (bootstrap === null) throw new Error('global setup did not start the real Kafka');
      this.bootstrapValue = bootstrap;
    } else {
      this.embedded = await startEmbeddedBroker();
      this.bootstrapValue = this.embedded.bootstrap;
    }
  }

  /** Delete what the test named; runs after each test. */
  async cleanUp(): Promise<void> {
    const topics = [...this.topics];
    const groups = [...this.groups];
    this.topics.clear();
    this.groups.clear();
    if (this.bootstrapValue === undefined || (topics.length === 0 && groups.length === 0)) return;
    const admin = this.kafkajs().admin();
    await admin.connect();
    try {
      if (groups.length > 0) await deleteGroups(admin, groups);
      if (topics.length > 0) {
        const existing = new Set(await admin.listTopics());
        const doomed = topics.filter((t) => existing.has(t));
        if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 10_000 });
      }
    } finally {
      await admin.disconnect();
    }
  }

  async tearDown(): Promise<void> {
    const embedded = this.embedded;
    this.embedded = undefined;
    this.bootstrapValue = undefined;
    if (embedded) await embedded.close();
  }
}

type Admin = ReturnType<Kafka['admin']>;

async function deleteGroups(admin: Admin, groups: string[]): Promise<void> {
  try {
    await admin.deleteGroups(groups);
  } catch (err) {
    // kafkajs throws KafkaJSDeleteGroupsError carrying one result per group.
    const results = (err as { groups?: { groupId: string; error?: { type?: string } }[] }).groups;
    if (!results) throw err;
    for (const { groupId, error } of results) {
      if (!error || error.type === 'GROUP_ID_NOT_FOUND') continue;
      console.warn(`[kt-test] could not delete group ${groupId}: ${error.type ?? 'unknown error'}`);
    }
  }
}

/**
 * Register `name` once per selected target; `body` declares tests with the target's fixture. Returns
 * nothing; suites that cannot run are registered as skipped (see the top of this file).
 */
export function describeClusters(
  name: string,
  body: (cluster: ClusterFixture) => void,
  { targets: supported = ['real', 'embedded'] }: DescribeClustersOptions = {},
): void {
  const selected = inject('ktTargets');
  if (!selected) throw new Error('describeClusters needs test/support/global-setup.ts as vitest globalSetup');
  const runnable = supported.filter((t) => selected.includes(t));
  // A suite none of whose targets is selected still registers (skipped), so a file never ends up empty.
  const registered = runnable.length > 0 ? runnable : supported;
  for (const target of registered) {
    const fixture = new Fixture(target);
    let skipReason: string | null;
    if (runnable.length === 0) skipReason = 'not selected by KT_TEST_TARGET';
    else skipReason = target === 'real' ? inject('ktRealSkipReason') : inject('ktEmbeddedSkipReason');
    const title = skipReason === null ? `${name} [${target}]` : `${name} [${target}: ${skipReason}]`;
    (skipReason === null ? describe : describe.skip)(title, () => {
      beforeAll(() => fixture.setUp());
      afterEach(() => fixture.cleanUp());
      afterAll(() => fixture.tearDown());
      body(fixture);
    });
  }
}
