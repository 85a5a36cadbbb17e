// The failover plan as pure functions: exact translation with the mirror's saved position as the
// replicated end, the rewind guard, the checkpoint fallback's RPO window, the inverse translation of
// failback, the read-back comparison, and the stable JSON shape.
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/cli/output.js';
import {
  decideAction,
  type FailoverResult,
  inverseTranslate,
  type PlanContext,
  partitionKey,
  planFromCheckpoint,
  planFromSource,
  planReturning,
  renderFailover,
  replicatedEnd,
  sourceTopicOf,
  upstreamTopic,
  verifyReadBack,
} from '../../src/mirror/failover-plan.js';
import { SegmentMap } from '../../src/mirror/translate.js';

function map(...syncs: [number, number][]): SegmentMap {
  const m = new SegmentMap();
  for (const [up, down] of syncs) m.push(BigInt(up), BigInt(down));
  return m;
}

function context(over: Partial<PlanContext> = {}): PlanContext {
  return {
    group: 'g',
    sourceTopic: 'orders',
    targetTopic: 'east.orders',
    partition: 0,
    currentTargetOffset: null,
    allowRewind: false,
    mirrorPosition: 10n,
    mirrorPositionAgeMs: 1_500,
    ...over,
  };
}

// Source 0-2 copied to 0-2, source 3-4 are transaction markers/aborted (skipped), 5-9 copied to 3-7;
// the mirror saved position 10 (next to copy), the target end is 8, the source end 15.
const gapped = () => map([0, 0], [5, 3]);

describe('planFromSource', () => {
  const plan = (committed: number, over: Partial<PlanContext> = {}) =>
    planFromSource(context(over), {
      committed: BigInt(committed),
      map: gapped(),
      targetEnd: 8n,
      sourceEnd: 15n,
    });

  it('translates every committed offset exactly, gap offsets to the next record, the end to the target end', () => {
    const got = [0, 1, 2, 3, 4, 5, 7, 9, 10].map((g) => plan(g).targetOffset);
    expect(got).toEqual([0n, 1n, 2n, 3n, 3n, 3n, 5n, 7n, 8n]);
    const end = plan(10);
    expect(end).toMatchObject({ action: 'commit', aheadBy: 0n, mirrorLag: 5n, sourceEnd: 15n, note: '' });
  });

  it('reports what a group consumed beyond the mirror position (lost for it) and resumes at the target end', () => {
    const row = plan(13);
    expect(row).toMatchObject({ targetOffset: 8n, aheadBy: 3n, action: 'commit' });
    expect(row.note).toContain('3 source records not on the target');
  });

  it('never moves a partition backwards unless allowed; equal is unchanged', () => {
    expect(plan(5, { currentTargetOffset: 6n })).toMatchObject({ action: 'skip-rewind', targetOffset: 3n });
    expect(plan(5, { currentTargetOffset: 6n }).note).toContain('--allow-rewind');
    expect(plan(5, { currentTargetOffset: 6n, allowRewind: true }).action).toBe('commit');
    expect(plan(5, { currentTargetOffset: 3n }).action).toBe('unchanged');
    expect(plan(5, { currentTargetOffset: 1n }).action).toBe('commit');
  });

  it('skips topics that are not mirrored and offsets before the mirrored history', () => {
    expect(plan(3, { targetTopic: null }).action).toBe('skip-not-mirrored');
    const missing = planFromSource(context(), {
      committed: 1n,
      map: gapped(),
      targetEnd: null,
      sourceEnd: 3n,
    });
    expect(missing).toMatchObject({ action: 'skip-not-mirrored', targetOffset: null });
    const before = planFromSource(context({ mirrorPosition: 300n }), {
      committed: 50n,
      map: map([100, 0]),
      targetEnd: 200n,
      sourceEnd: 300n,
    });
    expect(before).toMatchObject({ action: 'skip-unmapped', targetOffset: null });
    expect(before.note).toContain('first mirrored source offset 100');
    // The source has records between 50 and 100 that were not mirrored: still no translation.
    const facts = { committed: 50n, map: map([100, 0]), targetEnd: 200n, sourceEnd: 300n };
    expect(planFromSource(context({ mirrorPosition: 300n }), { ...facts, nextRecord: 60n }).action).toBe(
      'skip-unmapped',
    );
    // Nothing in between (compacted or deleted before the mirror started): exact at the first copy.
    const exact = planFromSource(context({ mirrorPosition: 300n }), { ...facts, nextRecord: 100n });
    expect(exact).toMatchObject({ action: 'commit', targetOffset: 0n });
    expect(exact.note).toContain('no source records between 50 and the first mirrored offset 100');
  });

  it('without a saved position still translates by the syncs, capped at the target end', () => {
    const row = planFromSource(context({ mirrorPosition: null }), {
      committed: 9n,
      map: map([0, 0]),
      targetEnd: 5n,
      sourceEnd: 12n,
    });
    expect(row).toMatchObject({ targetOffset: 5n, mirrorLag: null, action: 'commit' });
    expect(row.note).toContain('capped');
  });

  it('a partition with no syncs but a saved position maps its end to the target end', () => {
    const row = planFromSource(context({ mirrorPosition: 4n }), {
      committed: 4n,
      map: undefined,
      targetEnd: 0n,
      sourceEnd: 4n,
    });
    expect(row).toMatchObject({ targetOffset: 0n, aheadBy: 0n, mirrorLag: 0n });
  });
});

describe('replicatedEnd', () => {
  it('pairs the saved position with its target offset, never past the target end', () => {
    expect(replicatedEnd(gapped(), 10n, 8n)).toEqual({ up: 10n, down: 8n });
    // A fetch that ended on skipped offsets: the trailing sync says where the next record goes.
    expect(replicatedEnd(map([0, 0], [5, 3]), 5n, 3n)).toEqual({ up: 5n, down: 3n });
    expect(replicatedEnd(map([0, 0]), 10n, 7n)).toEqual({ up: 10n, down: 7n });
    expect(replicatedEnd(gapped(), null, 8n)).toBeUndefined();
  });
});

describe('planFromCheckpoint (source down)', () => {
  it('uses the checkpoint translation and reports the RPO window and ages', () => {
    const row = planFromCheckpoint(context({ mirrorPosition: 40n, mirrorPositionAgeMs: 2_000 }), {
      upstreamOffset: 30n,
      downstreamOffset: 28n,
      checkpointAgeMs: 7_000,
      targetEnd: 100n,
    });
    expect(row).toMatchObject({
      sourceOffset: 30n,
      targetOffset: 28n,
      aheadBy: 0n,
      checkpointAgeMs: 7_000,
      mirrorPositionAgeMs: 2_000,
      sourceEnd: null,
      mirrorLag: null,
      action: 'commit',
    });
    expect(row.note).toContain('from source offset 40 on are not on the target');
  });

  it('a checkpoint beyond the saved position counts the difference as lost for the group', () => {
    const row = planFromCheckpoint(context({ mirrorPosition: 40n }), {
      upstreamOffset: 45n,
      downstreamOffset: 38n,
      checkpointAgeMs: 0,
      targetEnd: 100n,
    });
    expect(row.aheadBy).toBe(5n);
    expect(
      planFromCheckpoint(context({ currentTargetOffset: 50n }), {
        upstreamOffset: 45n,
        downstreamOffset: 38n,
        checkpointAgeMs: 0,
        targetEnd: 100n,
      }).action,
    ).toBe('skip-rewind');
  });
});

describe('checkpoint edge cases', () => {
  it('skips a checkpoint of a missing target partition and caps one past the target end', () => {
    const facts = { upstreamOffset: 30n, downstreamOffset: 28n, checkpointAgeMs: 0 };
    expect(planFromCheckpoint(context(), { ...facts, targetEnd: null })).toMatchObject({
      action: 'skip-not-mirrored',
      targetTopic: null,
      targetOffset: null,
    });
    const capped = planFromCheckpoint(context(), { ...facts, targetEnd: 20n });
    expect(capped).toMatchObject({ targetOffset: 20n, action: 'commit' });
    expect(capped.note).toContain('past the target end 20');
  });
});

describe('planReturning (failback of A.orders on B to orders on A)', () => {
  // Forward flow A→B: orders 0-2 → A.orders 0-2, 3-4 skipped, 5-9 → 3-7; saved position 10.
  const syncs = [
    { up: 0n, down: 0n },
    { up: 5n, down: 3n },
  ];
  const back = context({ sourceTopic: 'east.orders', targetTopic: 'orders', mirrorPosition: 10n });
  const plan = (d: bigint, over: Partial<PlanContext> = {}) =>
    planReturning({ ...back, ...over }, { committed: d, syncs, targetEnd: 12n, sourceEnd: 8n });
  it('maps the copy offset back to the original record, the end to the forward position', () => {
    expect([0n, 2n, 3n, 7n, 8n].map((d) => plan(d).targetOffset)).toEqual([0n, 2n, 5n, 9n, 10n]);
    expect(plan(3n)).toMatchObject({ action: 'commit', sourceEnd: 8n, targetTopic: 'orders' });
    expect(plan(3n, { currentTargetOffset: 7n }).action).toBe('skip-rewind');
  });
  it('skips what it cannot map', () => {
    expect(
      planReturning(back, { committed: 1n, syncs: [{ up: 5n, down: 3n }], targetEnd: 12n, sourceEnd: 8n })
        .action,
    ).toBe('skip-unmapped');
    expect(planReturning(back, { committed: 1n, syncs, targetEnd: null, sourceEnd: 8n }).action).toBe(
      'skip-not-mirrored',
    );
  });
});

describe('inverseTranslate (failback of topics that came from the other side)', () => {
  // Forward flow: up 0-2 → down 0-2, up 3-4 skipped, up 5-11 → down 3-9, then a restart re-copied from
  // up 8: up 8-11 → down 10-13 (duplicates on the target).
  const syncs = [
    { up: 0n, down: 0n },
    { up: 5n, down: 3n },
    { up: 8n, down: 10n },
  ];
  it('maps target offsets back exactly inside a run, and conservatively over re-copied ranges', () => {
    const got = [0, 2, 3, 4, 6, 9, 10, 12].map((d) => inverseTranslate(syncs, BigInt(d)));
    expect(got).toEqual([0n, 2n, 5n, 6n, 8n, 8n, 8n, 10n]);
  });
  it('answers at and past the replicated end with the forward flow position; undefined before history', () => {
    const end = { up: 14n, down: 16n };
    expect(inverseTranslate(syncs, 16n, end)).toBe(14n);
    expect(inverseTranslate(syncs, 20n, end)).toBe(14n);
    expect(inverseTranslate(syncs, 15n, end)).toBe(13n);
    expect(inverseTranslate([{ up: 3n, down: 2n }], 1n)).toBeUndefined();
  });
});

describe('topic names', () => {
  it('upstreamTopic strips the alias prefix only', () => {
    expect(upstreamTopic('east.orders', 'east')).toBe('orders');
    expect(upstreamTopic('east.west.orders', 'east')).toBe('west.orders');
    expect(upstreamTopic('orders', 'east')).toBeUndefined();
    expect(upstreamTopic('east.', 'east')).toBeUndefined();
    expect(sourceTopicOf('orders', 'identity', 'east')).toBe('orders');
    expect(sourceTopicOf('east.orders', 'prefix', 'east')).toBe('orders');
  });
});

describe('decideAction and verifyReadBack', () => {
  it('decides by the current target offset', () => {
    expect(decideAction(5n, null, false)).toBe('commit');
    expect(decideAction(5n, 5n, false)).toBe('unchanged');
    expect(decideAction(5n, 9n, false)).toBe('skip-rewind');
    expect(decideAction(5n, 9n, true)).toBe('commit');
  });

  it('flags read-back offsets that differ from the plan, and skipped partitions that moved', () => {
    const commit = planFromSource(context(), { committed: 2n, map: gapped(), targetEnd: 8n, sourceEnd: 15n });
    const skipped = planFromSource(context({ partition: 1, currentTargetOffset: 7n }), {
      committed: 2n,
      map: gapped(),
      targetEnd: 8n,
      sourceEnd: 15n,
    });
    const good = new Map([
      [partitionKey('east.orders', 0), 2n],
      [partitionKey('east.orders', 1), 7n],
    ]);
    expect(verifyReadBack([commit, skipped], good)).toEqual([]);
    const bad = new Map([[partitionKey('east.orders', 0), 1n]]);
    expect(verifyReadBack([commit, skipped], bad)).toEqual([
      { group: 'g', topic: 'east.orders', partition: 0, expected: 2n, actual: 1n },
      { group: 'g', topic: 'east.orders', partition: 1, expected: 7n, actual: null },
    ]);
  });
});

describe('output', () => {
  const rows = [
    planFromSource(context(), { committed: 13n, map: gapped(), targetEnd: 8n, sourceEnd: 15n }),
    planFromSource(context({ sourceTopic: '__consumer_offsets', targetTopic: null }), {
      committed: 1n,
      map: undefined,
      targetEnd: null,
      sourceEnd: 9n,
    }),
  ];
  const result: FailoverResult = {
    direction: 'failover',
    source: { alias: 'east', reachable: true, error: null },
    target: { alias: 'west' },
    translatedFrom: 'offset-syncs',
    dryRun: true,
    executed: false,
    verified: null,
    groups: [{ group: 'g', targetState: 'Empty', partitions: rows.map(({ group: _, ...r }) => r) }],
    mismatches: [],
    warnings: [],
  };

  it('has a stable JSON shape', () => {
    expect(formatJson(result)).toMatchInlineSnapshot(`
      "{
        "direction": "failover",
        "source": {
          "alias": "east",
          "reachable": true,
          "error": null
        },
        "target": {
          "alias": "west"
        },
        "translatedFrom": "offset-syncs",
        "dryRun": true,
        "executed": false,
        "verified": null,
        "groups": [
          {
            "group": "g",
            "targetState": "Empty",
            "partitions": [
              {
                "sourceTopic": "orders",
                "targetTopic": "east.orders",
                "partition": 0,
                "sourceOffset": 13,
                "targetOffset": 8,
                "currentTargetOffset": null,
                "mirrorPosition": 10,
                "mirrorPositionAgeMs": 1500,
                "sourceEnd": 15,
                "mirrorLag": 5,
                "aheadBy": 3,
                "checkpointAgeMs": null,
                "action": "commit",
                "note": "group consumed 3 source records not on the target"
              },
              {
                "sourceTopic": "__consumer_offsets",
                "targetTopic": null,
                "partition": 0,
                "sourceOffset": 1,
                "targetOffset": null,
                "currentTargetOffset": null,
                "mirrorPosition": 10,
                "mirrorPositionAgeMs": 1500,
                "sourceEnd": 9,
                "mirrorLag": 0,
                "aheadBy": 0,
                "checkpointAgeMs": null,
                "action": "skip-not-mirrored",
                "note": "topic not mirrored to the target"
              }
            ]
          }
        ],
        "mismatches": [],
        "warnings": []
      }
      "
    `);
  });

  it('renders the plan as a table with the outcome', () => {
    const text = renderFailover(result);
    expect(text).toMatch(/GROUP\s+TOPIC\s+PARTITION\s+SOURCE-OFFSET\s+TARGET-TOPIC\s+TARGET-OFFSET/);
    expect(text).toMatch(/g\s+orders\s+0\s+13\s+east\.orders\s+8\s+5\s+3 consumed, not on target\s+commit/);
    expect(text).toContain('Dry run: nothing was committed.');
    const down = renderFailover({
      ...result,
      source: { alias: 'east', reachable: false, error: 'connect ECONNREFUSED' },
      groups: [
        {
          group: 'g',
          targetState: 'Dead',
          partitions: [
            planFromCheckpoint(context({ mirrorPosition: 40n, mirrorPositionAgeMs: 90_000 }), {
              upstreamOffset: 30n,
              downstreamOffset: 28n,
              checkpointAgeMs: 5_000,
              targetEnd: 100n,
            }),
          ],
        },
      ],
    });
    expect(down).toContain('UNREACHABLE (connect ECONNREFUSED)');
    expect(down).toContain('source records from 40 unknown (position 90s old, checkpoint 5s old)');
  });
});
