/**
 * `kt mirror verify`: compares every selected source partition with its mirrored target partition
 * record by record, by content (verify-hash.ts) and alignment (verify-diff.ts), and reports missing,
 * duplicated, diverging and unexpected ranges with source and target offsets.
 *
 * Policy: a partition passes when every source record in the compared range is on the target, equal and
 * in order, and the target holds nothing else but duplicates of them. Duplicates (at-least-once re-copies
 * after a restart) are listed and counted but pass, unless `failOnDuplicates`. A target partition that
 * does not exist fails. Target records before the first one that matches are copies of source records
 * outside the range (retention on the source, --from-source-offset) and are only counted.
 *
 * Both sides are read read_committed (what consumers see and what the mirror copies), up to the end they
 * had when the partition's comparison began; a mirror still catching up shows as a trailing missing range.
 * Partitions are compared one at a time, so memory is that of one partition's hashes (about 100 bytes a
 * record on each side, capped by `recordsMax`).
 */
import { KtError } from '../errors/kt-error.js';
import { fetchTopicMetadata } from '../ops/topics/metadata.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import { type RenamePolicy, TopicPolicy } from './policy.js';
import { listOffset, readRecords } from './record-reader.js';
import { type Alignment, alignSequences } from './verify-diff.js';
import { FIELD_NAMES, type FieldName, HashSequenceBuilder } from './verify-hash.js';

export interface VerifyOptions {
  source: ClusterClient;
  target: ClusterClient;
  sourceAlias: string;
  targetAlias: string;
  rename: RenamePolicy;
  /** A whole-name regex or a comma-separated list of source topics (internal topics never match). */
  topics: string;
  /** Only these partition numbers of each topic. */
  partitions?: readonly number[];
  /** Compare from this source offset on (default: each partition's log start). */
  fromSourceOffset?: bigint;
  failOnDuplicates?: boolean;
  /** Records per partition side held in memory. Default 5,000,000. */
  recordsMax?: number;
  /** Ranges listed per kind per partition (counts are always complete). Default 1000. */
  rangesMax?: number;
  fetchBytesMax?: number;
  log?: (line: string) => void;
}

export interface MissingRange {
  sourceFrom: bigint;
  sourceTo: bigint;
  count: number;
  /** The range runs to the end of the source: the mirror may only be behind. */
  trailing: boolean;
}

export interface DuplicatedRange {
  sourceFrom: bigint;
  sourceTo: bigint;
  count: number;
  /** The first copies. */
  targetFrom: bigint;
  targetTo: bigint;
  /** The extra copies. */
  duplicateFrom: bigint;
  duplicateTo: bigint;
}

export interface DivergingRange {
  sourceFrom: bigint;
  sourceTo: bigint;
  targetFrom: bigint;
  targetTo: bigint;
  count: number;
  fields: FieldName[];
}

export interface UnexpectedRange {
  targetFrom: bigint;
  targetTo: bigint;
  count: number;
}

export interface PartitionSide {
  /** The compared range [startOffset, endOffset). */
  startOffset: bigint;
  endOffset: bigint;
  records: number;
}

export interface PartitionVerification {
  topic: string;
  partition: number;
  targetTopic: string;
  ok: boolean;
  targetPartitionMissing: boolean;
  source: PartitionSide;
  /** null when the target partition does not exist. */
  target: (PartitionSide & { skippedBefore: number }) | null;
  matched: number;
  missing: number;
  duplicated: number;
  diverging: number;
  unexpected: number;
  missingRanges: MissingRange[];
  duplicatedRanges: DuplicatedRange[];
  divergingRanges: DivergingRange[];
  unexpectedRanges: UnexpectedRange[];
  /** Some ranges were left out of the lists (beyond rangesMax); the counts are complete. */
  rangesTruncated: boolean;
}

export interface VerifyTotals {
  partitions: number;
  partitionsFailed: number;
  targetPartitionsMissing: number;
  sourceRecords: number;
  targetRecords: number;
  matched: number;
  missing: number;
  duplicated: number;
  diverging: number;
  unexpected: number;
}

export interface VerifyReport {
  ok: boolean;
  failOnDuplicates: boolean;
  totals: VerifyTotals;
  partitions: PartitionVerification[];
}

const RECORDS_MAX_DEFAULT = 5_000_000;

export async function verifyMirror(options: VerifyOptions): Promise<VerifyReport> {
  const { source, target } = options;
  const log = options.log ?? (() => undefined);
  const policy = new TopicPolicy(options);
  const { topics } = await fetchTopicMetadata(source, null);
  const selected = topics.filter((t) => !t.internal && policy.matches(t.name));
  if (selected.length === 0) {
    throw new KtError('KT_NOT_FOUND', `No source topic matches --topics ${JSON.stringify(options.topics)}`, {
      hint: 'List topics with: kt topics list',
    });
  }
  const wanted = options.partitions ? new Set(options.partitions) : null;
  const work = selected.flatMap((t) =>
    t.partitions
      .filter((p) => wanted === null || wanted.has(p.partition))
      .map((p) => ({ topic: t.name, partition: p.partition, targetTopic: policy.targetTopic(t.name) })),
  );
  if (work.length === 0) {
    throw new KtError(
      'KT_NOT_FOUND',
      `The selected topics have none of partitions ${[...(wanted ?? [])].join(',')}`,
    );
  }
  const targetMeta = new Map(
    (await fetchTopicMetadata(target, [...new Set(work.map((w) => w.targetTopic))])).topics.map((t) => [
      t.name,
      new Set(t.partitions.map((p) => p.partition)),
    ]),
  );
  const failOnDuplicates = options.failOnDuplicates ?? false;
  const report: VerifyReport = {
    ok: true,
    failOnDuplicates,
    totals: {
      partitions: 0,
      partitionsFailed: 0,
      targetPartitionsMissing: 0,
      sourceRecords: 0,
      targetRecords: 0,
      matched: 0,
      missing: 0,
      duplicated: 0,
      diverging: 0,
      unexpected: 0,
    },
    partitions: [],
  };
  for (const w of work) {
    const exists = targetMeta.get(w.targetTopic)?.has(w.partition) ?? false;
    const result = await verifyPartition(options, w.topic, w.partition, w.targetTopic, exists);
    result.ok =
      !result.targetPartitionMissing &&
      result.missing === 0 &&
      result.diverging === 0 &&
      result.unexpected === 0 &&
      (!failOnDuplicates || result.duplicated === 0);
    const t = report.totals;
    t.partitions++;
    if (!result.ok) t.partitionsFailed++;
    if (result.targetPartitionMissing) t.targetPartitionsMissing++;
    t.sourceRecords += result.source.records;
    t.targetRecords += result.target?.records ?? 0;
    t.matched += result.matched;
    t.missing += result.missing;
    t.duplicated += result.duplicated;
    t.diverging += result.diverging;
    t.unexpected += result.unexpected;
    report.ok &&= result.ok;
    report.partitions.push(result);
    log(
      `verify: ${w.topic}-${w.partition} → ${w.targetTopic}-${w.partition}: ${result.source.records} source, ${result.target?.records ?? 0} target records, ${result.ok ? 'ok' : 'FAILED'}`,
    );
  }
  return report;
}

async function verifyPartition(
  options: VerifyOptions,
  topic: string,
  partition: number,
  targetTopic: string,
  targetExists: boolean,
): Promise<PartitionVerification> {
  const { source, target } = options;
  const recordsMax = options.recordsMax ?? RECORDS_MAX_DEFAULT;
  // The target's end is taken before the source's: a running mirror can then only have copied records
  // below the source end, so live traffic shows as a trailing missing range (lag), never as target
  // records that look foreign because their source records arrived after the source end was read.
  const targetEnd = targetExists
    ? ((await listOffset(target, targetTopic, partition, 'latest', 'read_committed')) ?? 0n)
    : 0n;
  const sourceStart = maxOf(
    (await listOffset(source, topic, partition, 'earliest')) ?? 0n,
    options.fromSourceOffset ?? 0n,
  );
  const sourceEnd = (await listOffset(source, topic, partition, 'latest', 'read_committed')) ?? 0n;
  const s = new HashSequenceBuilder(recordsMax, `source ${topic}-${partition}`);
  let timestampMin: bigint | null = null;
  const read = async (
    client: ClusterClient,
    t: string,
    from: bigint,
    end: bigint,
    into: HashSequenceBuilder,
  ) => {
    const result = await readRecords(
      client,
      t,
      partition,
      {
        fromOffset: from,
        endOffset: end,
        ...(options.fetchBytesMax ? { fetchBytesMax: options.fetchBytesMax } : {}),
      },
      (r) => {
        into.add(r, r.offset);
        if (into === s && (timestampMin === null || r.timestamp < timestampMin)) timestampMin = r.timestamp;
      },
    );
    // Records the broker would not hand out below its own end: never pass them off as compared.
    if (result.nextOffset < end) {
      throw new KtError(
        'KT_KAFKA',
        `Fetch ${t}-${partition} returned nothing at offset ${result.nextOffset}, below the end ${end}: cannot verify`,
      );
    }
    return result;
  };
  const t = new HashSequenceBuilder(recordsMax, `target ${targetTopic}-${partition}`);
  const targetEarliest = targetExists
    ? ((await listOffset(target, targetTopic, partition, 'earliest')) ?? 0n)
    : 0n;
  // Without --from-source-offset the whole target is compared: read it while the source is read.
  const targetWhole =
    targetExists && options.fromSourceOffset === undefined
      ? read(target, targetTopic, targetEarliest, targetEnd, t)
      : undefined;
  targetWhole?.catch(() => undefined); // awaited below; a failed source read must not leave it unhandled
  await read(source, topic, sourceStart, sourceEnd, s);
  const sourceSide: PartitionSide = {
    startOffset: minOf(sourceStart, sourceEnd),
    endOffset: sourceEnd,
    records: s.length,
  };
  // Keys in the documented order of the JSON output.
  const head = {
    topic,
    partition,
    targetTopic,
    ok: false,
    targetPartitionMissing: !targetExists,
    source: sourceSide,
  };
  const runsMax = options.rangesMax ?? 1000;
  if (!targetExists) {
    // Aligned with an empty target: every source record is one trailing missing range.
    return { ...head, target: null, ...toRanges(alignSequences(s, t, { runsMax }), s, t) };
  }
  let targetStart = targetEarliest;
  if (targetWhole) await targetWhole;
  else {
    if (timestampMin === null) targetStart = targetEnd;
    else {
      // Every copy of a compared source record has a CreateTime ≥ the smallest one among them, so
      // target records before the first offset with that timestamp cannot be copies of them.
      const at = await listOffset(target, targetTopic, partition, { timestampMs: timestampMin });
      targetStart = at === null ? targetEnd : maxOf(at, targetEarliest);
    }
    await read(target, targetTopic, targetStart, targetEnd, t);
  }
  const alignment = alignSequences(s, t, { runsMax });
  return {
    ...head,
    target: {
      startOffset: minOf(targetStart, targetEnd),
      endOffset: targetEnd,
      records: t.length,
      skippedBefore: alignment.targetSkipped,
    },
    ...toRanges(alignment, s, t),
  };
}

function toRanges(a: Alignment, s: HashSequenceBuilder, t: HashSequenceBuilder) {
  const so = (p: number): bigint => BigInt(s.offsets[p]!);
  const to = (p: number): bigint => BigInt(t.offsets[p]!);
  return {
    matched: a.matched,
    missing: a.missing,
    duplicated: a.duplicated,
    diverging: a.diverging,
    unexpected: a.unexpected,
    missingRanges: a.missingRuns.map((r) => ({
      sourceFrom: so(r.sourceStart),
      sourceTo: so(r.sourceStart + r.count - 1),
      count: r.count,
      trailing: r.sourceStart + r.count === s.length,
    })),
    duplicatedRanges: a.duplicateRuns.map((r) => ({
      sourceFrom: so(r.sourceStart),
      sourceTo: so(r.sourceStart + r.count - 1),
      count: r.count,
      targetFrom: to(r.originalTargetStart),
      targetTo: to(r.originalTargetStart + r.count - 1),
      duplicateFrom: to(r.targetStart),
      duplicateTo: to(r.targetStart + r.count - 1),
    })),
    divergingRanges: a.divergingRuns.map((r) => ({
      sourceFrom: so(r.sourceStart),
      sourceTo: so(r.sourceStart + r.count - 1),
      targetFrom: to(r.targetStart),
      targetTo: to(r.targetStart + r.count - 1),
      count: r.count,
      fields: FIELD_NAMES.filter((_, f) => (r.fieldMask & (1 << f)) !== 0),
    })),
    unexpectedRanges: a.unexpectedRuns.map((r) => ({
      targetFrom: to(r.targetStart),
      targetTo: to(r.targetStart + r.count - 1),
      count: r.count,
    })),
    rangesTruncated: a.runsTruncated,
  };
}

const maxOf = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minOf = (a: bigint, b: bigint): bigint => (a < b ? a : b);
