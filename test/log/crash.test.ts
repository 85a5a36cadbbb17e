/**
 * Crash test: a child process appends with an fsync per acknowledged batch and reports each acknowledged
 * batch; the parent SIGKILLs it at a random moment, 50+ times on the same log. After every kill the log
 * is recovered and must hold every acknowledged batch byte-identical (stored CRC matches, records match
 * their deterministic content), with contiguous offsets and only valid batches. Then garbage written at a
 * random position of the active segment must be truncated away, never served.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBatchAt } from '../../src/log/batch-check.js';
import { Log } from '../../src/log/index.js';
import { decodeRecordBatch, encodeRecordBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import { valueFor } from './crash-content.js';
import { tempDir } from './helpers.js';

const CHILD_TS = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const KILLS = 50;
let root: { dir: string; cleanup: () => void };
let childArgv: string[];

beforeAll(async () => {
  root = tempDir('kt-log-crash-');
  // Bundle the child once so each spawn costs a plain `node` start (tsx's loader adds ~1 s per start).
  try {
    const esbuild = await import('esbuild');
    const outfile = `${root.dir}/crash-child.mjs`;
    esbuild.buildSync({
      entryPoints: [CHILD_TS],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      packages: 'external',
      logLevel: 'silent',
    });
    childArgv = [outfile];
  } catch {
    childArgv = ['--import', 'tsx', CHILD_TS];
  }
});
afterAll(() => root.cleanup());

interface Ack {
  baseOffset: bigint;
  lastOffset: bigint;
  crc: number;
}

/** Runs the child until it reported `killAfterAcks` acks, waits `delayMs`, SIGKILLs it; returns the acks. */
function runAndKill(dir: string, seed: number, killAfterAcks: number, delayMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [...childArgv, dir, String(seed)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let scheduled = false;
    const kill = () => child.kill('SIGKILL');
    const guard = setTimeout(kill, 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const [kind, a, b, c] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
        if (kind === 'ack') acks.push({ baseOffset: BigInt(a!), lastOffset: BigInt(b!), crc: Number(c) });
        if (!scheduled && acks.length >= killAfterAcks) {
          scheduled = true;
          setTimeout(kill, delayMs);
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own: ${stderr}`));
      else resolve(acks);
    });
  });
}

/** Recovers the log and checks every batch; returns the batches' [base, last, crc, position-in-file]. */
function recoverAndCheck(dir: string, acked: Map<bigint, Ack>): bigint {
  const log = Log.open({ dir });
  let expected = 0n;
  while (expected < log.logEndOffset) {
    const { records } = log.read(expected, 256 * 1024);
    expect(records.length).toBeGreaterThan(0);
    for (const batch of iterateBatches(records)) {
      const summary = checkBatchAt(batch, 0, batch.length);
      if (typeof summary === 'string') throw new Error(`served an invalid batch at ${expected}: ${summary}`);
      expect(summary.baseOffset).toBe(expected);
      const decoded = decodeRecordBatch(batch);
      for (const record of decoded.records) {
        expect(Buffer.from(record.key!).toString()).toBe(`k${record.offset}`);
        expect(Buffer.compare(Buffer.from(record.value!), Buffer.from(valueFor(record.offset)))).toBe(0);
      }
      const ack = acked.get(summary.baseOffset);
      if (ack !== undefined) expect(decoded.header.crc).toBe(ack.crc);
      expected = summary.baseOffset + BigInt(summary.lastOffsetDelta) + 1n;
    }
  }
  for (const ack of acked.values()) expect(ack.lastOffset).toBeLessThan(log.logEndOffset);
  const end = log.logEndOffset;
  log.close();
  return end;
}

describe('crash safety', () => {
  it(`every acknowledged batch survives ${KILLS} SIGKILLs in a row`, async () => {
    const dir = `${root.dir}/crash-0`;
    const acked = new Map<bigint, Ack>();
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    let totalAcks = 0;
    for (let round = 0; round < KILLS; round++) {
      // Kill after 0..6 acks (0: right after the log opened, i.e. during or just after recovery) plus 0..9 ms.
      const acks = await runAndKill(dir, round + 1, Math.floor(random() * 7), Math.floor(random() * 10));
      totalAcks += acks.length;
      for (const ack of acks) acked.set(ack.baseOffset, ack);
      recoverAndCheck(dir, acked);
    }
    expect(totalAcks).toBeGreaterThan(KILLS);
    expect(readdirSync(dir).filter((n) => n.endsWith('.log')).length).toBeGreaterThan(1);
  }, 120_000);

  it('garbage at a random position of the active segment is truncated away, never served', () => {
    // Its own log, written the way the crash child writes (same content function), so it runs alone too.
    const dir = `${root.dir}/garbage-0`;
    const writer = Log.open({ dir, config: { segmentBytesMax: 32 * 1024 } });
    for (let offset = 0n; offset < 600n; offset += 3n) {
      const records = [0n, 1n, 2n].map((d) => ({
        key: Buffer.from(`k${offset + d}`),
        value: valueFor(offset + d),
      }));
      writer.append(encodeRecordBatch(records));
    }
    writer.close();
    let seed = 777;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let trial = 0; trial < 5; trial++) {
      const logs = readdirSync(dir)
        .filter((n) => n.endsWith('.log'))
        .sort();
      let name = logs[logs.length - 1]!;
      if (readFileSync(`${dir}/${name}`).length < 200) name = logs[logs.length - 2]!;
      const file = `${dir}/${name}`;
      const data = readFileSync(file);
      const position = Math.floor(random() * (data.length - 30));
      const garbage = Buffer.alloc(24 + Math.floor(random() * 40));
      for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(random() * 256);
      // The batches entirely before the garbage survive; the first one it touches and all later go.
      let at = 0;
      let survivingEnd = BigInt(name.slice(0, 20));
      while (at < data.length) {
        const size = data.readInt32BE(at + 8) + 12;
        if (at + size > position) break;
        survivingEnd = data.readBigInt64BE(at) + BigInt(data.readInt32BE(at + 23)) + 1n;
        at += size;
      }
      const corrupted = Buffer.from(data);
      garbage.copy(corrupted, position, 0, Math.min(garbage.length, data.length - position));
      writeFileSync(file, corrupted);
      const end = recoverAndCheck(dir, new Map());
      expect(end).toBe(survivingEnd);
      expect(readFileSync(file).length).toBe(at);
    }
  });
});
