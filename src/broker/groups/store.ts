/**
 * Durability of the group coordinator: the GroupStore interface and its implementations.
 *
 * Behavior:
 * * The coordinator appends GroupRecords (an offset commit or tombstone, a group's metadata or tombstone)
 *   and, on start, replays everything `load()` yields in order; the last record per key wins, so a
 *   compacted log (cleanup.policy=compact, as __consumer_offsets is) replays to the same state.
 * * `append` resolves once the records are durable; the coordinator answers clients only after that.
 *   Appends must complete in the order they were called (a log does), and a rejected append must have
 *   written nothing.
 * * `KeyValueGroupStore` puts the records as Kafka-format key/value bytes (./records.ts) into any
 *   key/value log — the broker's `__consumer_offsets` partition — so the broker only moves bytes.
 * * `InMemoryGroupStore` is that over an array, for tests and `--in-memory` brokers; it stores encoded
 *   bytes, so a restore through it exercises the real codec. `failAppendsWith` injects append failures.
 */
import { decodeGroupRecord, type EncodedRecord, encodeGroupRecord, type GroupRecord } from './records.js';

export interface GroupStore {
  /** Appends records as one batch; resolves when durable, rejects having written nothing. */
  append(records: readonly GroupRecord[]): Promise<void>;
  /** Every record appended so far, oldest first (records of unknown types already skipped). */
  load(): AsyncIterable<GroupRecord>;
}

/** A log of raw __consumer_offsets key/value records (value null = tombstone). */
export interface KeyValueLog {
  append(records: readonly EncodedRecord[]): Promise<void>;
  readAll(): AsyncIterable<EncodedRecord>;
}

export class KeyValueGroupStore implements GroupStore {
  readonly #log: KeyValueLog;

  constructor(log: KeyValueLog) {
    this.#log = log;
  }

  append(records: readonly GroupRecord[]): Promise<void> {
    return this.#log.append(records.map(encodeGroupRecord));
  }

  async *load(): AsyncIterable<GroupRecord> {
    for await (const { key, value } of this.#log.readAll()) {
      const record = decodeGroupRecord(key, value);
      if (record !== null) yield record;
    }
  }
}

export class InMemoryKeyValueLog implements KeyValueLog {
  readonly records: EncodedRecord[] = [];
  /** When set, every append rejects with this error and stores nothing. */
  failAppendsWith: Error | null = null;

  async append(records: readonly EncodedRecord[]): Promise<void> {
    if (this.failAppendsWith !== null) throw this.failAppendsWith;
    this.records.push(...records);
  }

  async *readAll(): AsyncIterable<EncodedRecord> {
    yield* this.records;
  }
}

export class InMemoryGroupStore extends KeyValueGroupStore {
  readonly log: InMemoryKeyValueLog;

  constructor(log = new InMemoryKeyValueLog()) {
    super(log);
    this.log = log;
  }

  set failAppendsWith(error: Error | null) {
    this.log.failAppendsWith = error;
  }
}
