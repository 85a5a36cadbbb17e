/** Writes a compacted log for the DumpLogSegments test and returns the records it must contain. */
import { Log } from '../../src/log/index.js';
import { batchOf, compactAll } from './helpers.js';
import type { ModelRecord } from './model.js';
import { readAll } from './model.js';

export async function writeCompactedLog(dir: string): Promise<ModelRecord[]> {
  const log = Log.open({
    dir,
    config: { cleanupPolicy: 'compact', segmentBytesMax: 600, indexIntervalBytes: 100 },
    nowMs: () => 2_000_000_000_000,
  });
  // An idempotent producer's batch whose keys are all superseded: kept as an empty batch for its state.
  log.append(
    batchOf(
      [
        ['key0', 'idempotent'],
        ['key1', 'idempotent'],
      ],
      {
        producerId: 42n,
        producerEpoch: 0,
        baseSequence: 0,
        compression: 'lz4',
        timestamp: 1_699_999_999_999n,
      },
    ),
  );
  // A key written once and deleted: its tombstone is the latest record, kept with a delete horizon.
  log.append(batchOf([['gone', 'soon']], { timestamp: 1_699_999_999_999n }));
  log.append(batchOf([['gone', null]], { timestamp: 1_699_999_999_999n }));
  for (let i = 0; i < 60; i++) {
    const key = `key${i % 7}`;
    const value = i % 11 === 5 ? null : `value${i}`;
    log.append(
      batchOf(
        [
          [key, value],
          [`other${i % 3}`, `o${i}`],
        ],
        {
          compression: (['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)[i % 5]!,
          timestamp: BigInt(1_700_000_000_000 + i),
        },
      ),
    );
  }
  const report = await compactAll(log, { force: true });
  if (report.cleanedSegments === 0) throw new Error('nothing was compacted');
  const records = readAll(log);
  log.close();
  return records;
}
