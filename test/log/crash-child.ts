/**
 * Crash-test child: opens (recovering) the log in argv[2] and appends batches forever with an fsync per
 * batch (flush.messages=1). After each acknowledged append it writes `ack <baseOffset> <lastOffset>
 * <crc>` synchronously to stdout. The record at offset o always has key `k<o>` and value valueFor(o), so
 * the parent can check content. The parent SIGKILLs it at a random moment.
 */
import { writeSync } from 'node:fs';
import { Log } from '../../src/log/log.js';
import { encodeRecordBatch } from '../../src/protocol/record-batch.js';
import { valueFor } from './crash-content.js';

const dir = process.argv[2]!;
const seed = Number(process.argv[3] ?? 1);
const log = Log.open({
  dir,
  config: { flushMessagesInterval: 1, segmentBytesMax: 32 * 1024, indexIntervalBytes: 512 },
});
writeSync(1, `open ${log.logEndOffset}\n`);
let state = seed;
const random = (): number => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296;
};
const enc = new TextEncoder();
for (;;) {
  const first = log.logEndOffset;
  const n = 1 + Math.floor(random() * 4);
  const records = [];
  for (let i = 0; i < n; i++) {
    const offset = first + BigInt(i);
    records.push({
      key: enc.encode(`k${offset}`),
      value: valueFor(offset),
      timestamp: 1_700_000_000_000n + offset,
    });
  }
  const batch = encodeRecordBatch(records, { compression: random() < 0.2 ? 'gzip' : 'none' });
  const result = log.append(batch, { leaderEpoch: 1 });
  const crc = new DataView(batch.buffer, batch.byteOffset).getUint32(17);
  writeSync(1, `ack ${result.baseOffset} ${result.lastOffset} ${crc}\n`);
}
