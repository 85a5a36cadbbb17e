// The cluster-pair fixture of the mirror integration tests: a suite runs once per pair kind that
// KT_TEST_TARGET selects, with a connected source and target, bootstraps, and teardown.
//
//   describeMirrorPairs('kt mirror run', (pair, kind) => {
//     it('copies', async () => {
//       const { source, target, sourceBootstrap } = pair();
//       const { east, west, name } = uniqueNames();       // aliases and topics unique across runs
//       ...
//     });
//     if (kind === 'real') it('a real-only test', ...);
//   }, { kinds: ['embedded', 'real'] });
//
// - 'embedded': two startBroker({ port: 0 }) in this process, closed after the suite. Runs when
//   KT_TEST_TARGET selects embedded.
// - 'real': the harness clusters `mirror-source` and `mirror-target`, leased for the suite (started if
//   needed, stopped by the last release). Runs when KT_TEST_TARGET selects real and Java can run it; when
//   it cannot, the suite is registered as skipped with global-setup's one-line reason in its title (with
//   KT_REQUIRE_REAL_KAFKA=1, CI, global-setup fails the run instead).
// - 'embedded-to-real': an embedded source, the real `mirror-target`; needs both targets selected.
// - A kind that is not selected is registered as skipped too, so skipped runs stay visible.
// - `compactingSource`: the embedded source runs its cleaner every 100 ms (compaction-gap tests).

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { startBroker } from '../../src/broker/index.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import { acquireKafka, releaseKafka } from '../real-kafka/harness.js';

export type PairKind = 'embedded' | 'real' | 'embedded-to-real';

export interface MirrorPair {
  readonly kind: PairKind;
  readonly source: ClusterClient;
  readonly target: ClusterClient;
  readonly sourceBootstrap: string;
  readonly targetBootstrap: string;
  /** The source is Apache Kafka: transactions (aborted records, markers) can be produced on it. */
  readonly transactions: boolean;
}

export interface MirrorPairOptions {
  kinds: PairKind[];
  /** Embedded source with `log.retention.check.interval.ms=100`: compaction leaves gaps quickly. */
  compactingSource?: boolean;
}

const REAL_SOURCE = 'mirror-source';
const REAL_TARGET = 'mirror-target';
const REAL_START_TIMEOUT_MS = 150_000;
const SET_UP_TIMEOUT_MS = 240_000;
const TEAR_DOWN_TIMEOUT_MS = 60_000;

const TITLES: Record<PairKind, string> = {
  embedded: 'embedded → embedded',
  real: 'real → real',
  'embedded-to-real': 'embedded → real',
};

/** Aliases and a name maker sharing one random id, so a reused real cluster starts clean. */
export function uniqueNames(): { id: string; east: string; west: string; name: (prefix: string) => string } {
  const id = randomBytes(3).toString('hex');
  return { id, east: `east${id}`, west: `west${id}`, name: (prefix) => `${prefix}-${id}` };
}

export async function connect(bootstrap: string): Promise<ClusterClient> {
  const client = new ClusterClient({ bootstrapServers: [bootstrap] });
  await client.connect();
  return client;
}

/** Why `kind` does not run here (one line), or null when it runs. */
function skipReason(kind: PairKind): string | null {
  const selected = inject('ktTargets');
  if (!selected)
    throw new Error('describeMirrorPairs needs test/support/global-setup.ts as vitest globalSetup');
  const needs = kind === 'embedded' ? ['embedded'] : kind === 'real' ? ['real'] : ['embedded', 'real'];
  if (!needs.every((t) => selected.includes(t as 'real' | 'embedded')))
    return 'not selected by KT_TEST_TARGET';
  const reasons = needs.map((t) =>
    t === 'real' ? inject('ktRealSkipReason') : inject('ktEmbeddedSkipReason'),
  );
  return reasons.find((r) => r !== null) ?? null;
}

class Pair {
  value: MirrorPair | undefined;
  /** Undo steps, run last first; each registered as soon as its resource exists. */
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(
    private readonly kind: PairKind,
    private readonly compactingSource: boolean,
  ) {}

  private async embedded(config: Record<string, string> = {}): Promise<string> {
    const broker = await startBroker({ port: 0, config });
    this.closers.push(() => broker.close());
    return broker.bootstrap;
  }

  private async real(name: string): Promise<string> {
    const instance = await acquireKafka(name, { holder: process.pid, startTimeoutMs: REAL_START_TIMEOUT_MS });
    this.closers.push(() => releaseKafka(name, { holder: process.pid }));
    return instance.bootstrap;
  }

  async setUp(): Promise<void> {
    const sourceConfig = this.compactingSource ? { 'log.retention.check.interval.ms': '100' } : {};
    let sourceBootstrap: string;
    let targetBootstrap: string;
    if (this.kind === 'embedded') {
      sourceBootstrap = await this.embedded(sourceConfig);
      targetBootstrap = await this.embedded();
    } else if (this.kind === 'real') {
      [sourceBootstrap, targetBootstrap] = await Promise.all([
        this.real(REAL_SOURCE),
        this.real(REAL_TARGET),
      ]);
    } else {
      sourceBootstrap = await this.embedded(sourceConfig);
      targetBootstrap = await this.real(REAL_TARGET);
    }
    // A pair that is one cluster twice would let a mirror test pass without copying anything.
    if (sourceBootstrap === targetBootstrap) throw new Error(`source and target are both ${sourceBootstrap}`);
    const source = await connect(sourceBootstrap);
    this.closers.push(() => source.close());
    const target = await connect(targetBootstrap);
    this.closers.push(() => target.close());
    this.value = {
      kind: this.kind,
      source,
      target,
      sourceBootstrap,
      targetBootstrap,
      transactions: this.kind === 'real',
    };
  }

  /** Every undo step runs, even after one failed; the first failure is reported. */
  async tearDown(): Promise<void> {
    this.value = undefined;
    const failures: unknown[] = [];
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  }
}

/**
 * Register `title` once per kind in `options.kinds`; `body` declares the tests with a getter of the
 * suite's pair (read it inside tests and hooks) and the kind (known at collection, for kind-only tests).
 */
export function describeMirrorPairs(
  title: string,
  body: (pair: () => MirrorPair, kind: PairKind) => void,
  options: MirrorPairOptions,
): void {
  for (const kind of options.kinds) {
    const reason = skipReason(kind);
    const fixture = new Pair(kind, options.compactingSource === true);
    const name = reason === null ? `${title} [${TITLES[kind]}]` : `${title} [${TITLES[kind]}: ${reason}]`;
    (reason === null ? describe : describe.skip)(name, () => {
      beforeAll(() => fixture.setUp(), SET_UP_TIMEOUT_MS);
      afterAll(() => fixture.tearDown(), TEAR_DOWN_TIMEOUT_MS);
      body(() => {
        if (fixture.value === undefined) throw new Error('pair() read outside a test or hook of its suite');
        return fixture.value;
      }, kind);
    });
  }
}
