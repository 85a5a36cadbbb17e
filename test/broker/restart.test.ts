/**
 * Restarts of `kt broker start` (bin/run.js, built first) run as a child process, with data on disk:
 * - a clean stop (SIGTERM) keeps every record, offsets unchanged, and new appends continue after them;
 * - a SIGKILL while producers are mid-stream, with the fsync policy on (log.flush.interval.messages=1),
 *   keeps every record acknowledged with acks=all, on every partition.
 * (test/broker/idempotence.test.ts covers the producer-state side of a restart; group offsets belong to the
 * group tests.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors/codes.generated.js';
import { decodeRecordBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import { batch, fetchRequest, produceRequest, RawConnection, textRecords } from './data-path-client.js';

const KT_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const PARTITIONS = 3;

const dirs: string[] = [];
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

interface BrokerProcess {
  child: ChildProcess;
  bootstrap: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** `node bin/run.js broker start` on `port` with `dataDir`; resolves once it printed its listening line. */
function startBrokerProcess(dataDir: string, port: number, config: string[] = []): Promise<BrokerProcess> {
  const args = [KT_BIN, 'broker', 'start', '--port', String(port), '--data-dir', dataDir];
  for (const pair of config) args.push('--config', pair);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Keep the `local` profile this writes away from the user's config.
    env: { ...process.env, KT_CONFIG: join(dataDir, '..', 'kt-config.yaml') },
  });
  children.add(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${err}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /kt broker listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, bootstrap: match[1]!, exited, stderr: () => err });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code} before listening: ${err}`));
    });
  });
}

async function createTopic(conn: RawConnection, name: string, partitions: number): Promise<void> {
  const response = await conn.request(19, 7, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 10_000,
    validateOnly: false,
  });
  expect(response.topics[0]!.errorCode).toBe(0);
}

/** Every value of topic/partition from offset 0, with raw Fetch requests. */
async function readAll(conn: RawConnection, topic: string, partition: number): Promise<string[]> {
  const out: string[] = [];
  let offset = 0n;
  for (;;) {
    const response = await conn.request(1, 12, fetchRequest(topic, partition, offset));
    const p = response.responses[0]!.partitions[0]!;
    expect(p.errorCode).toBe(0);
    let n = 0;
    for (const b of iterateBatches(p.records ?? new Uint8Array(0))) {
      for (const r of decodeRecordBatch(b).records) {
        out.push(Buffer.from(r.value!).toString());
        n++;
      }
    }
    if (n === 0) return out;
    offset += BigInt(n);
  }
}

async function produce(conn: RawConnection, topic: string, partition: number, values: string[], acks = -1) {
  const records = values.map((value) => ({ key: null, value: Buffer.from(value) }));
  const response = await conn.request(0, 9, produceRequest(topic, partition, batch(records), acks));
  return response.responses[0]!.partitionResponses[0]!;
}

describe('kt broker start restarts (child process, data on disk)', () => {
  it('a clean stop (SIGTERM) keeps every record and appends continue after them', async () => {
    const root = tempDir('kt-restart-clean-');
    const dataDir = join(root, 'data');
    const port = await freePort();
    let broker = await startBrokerProcess(dataDir, port);
    let conn = await RawConnection.open(broker.bootstrap);
    await createTopic(conn, 'kept', PARTITIONS);
    const expected: string[][] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      expected.push([]);
      for (let b = 0; b < 5; b++) {
        const values = textRecords(20, `p${p}b${b}-`).map((r) => Buffer.from(r.value!).toString());
        expect((await produce(conn, 'kept', p, values, 1)).errorCode).toBe(0);
        expected[p]!.push(...values);
      }
    }
    conn.close();
    broker.child.kill('SIGTERM');
    expect(await broker.exited).toEqual({ code: 0, signal: null });
    expect(broker.stderr()).toContain('stopped cleanly');

    broker = await startBrokerProcess(dataDir, port);
    conn = await RawConnection.open(broker.bootstrap);
    try {
      for (let p = 0; p < PARTITIONS; p++) expect(await readAll(conn, 'kept', p)).toEqual(expected[p]);
      const next = await produce(conn, 'kept', 0, ['after-restart']);
      expect(next).toMatchObject({ errorCode: 0, baseOffset: 100n });
      expect((await readAll(conn, 'kept', 0)).at(-1)).toBe('after-restart');
      // The topic's partition count came back from disk too.
      expect((await produce(conn, 'kept', PARTITIONS, ['x'])).errorCode).toBe(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      );
    } finally {
      conn.close();
      broker.child.kill('SIGTERM');
      await broker.exited;
    }
  }, 90_000);

  it('a SIGKILL mid-stream with fsync per message keeps everything acknowledged with acks=all', async () => {
    const root = tempDir('kt-restart-kill-');
    const dataDir = join(root, 'data');
    const port = await freePort();
    const config = ['log.flush.interval.messages=1'];
    let broker = await startBrokerProcess(dataDir, port, config);
    const admin = await RawConnection.open(broker.bootstrap);
    await createTopic(admin, 'killed', PARTITIONS);
    admin.close();

    // One producer connection per partition, each sending batches back to back until the broker dies.
    const acknowledged: string[][] = Array.from({ length: PARTITIONS }, () => []);
    let stop = false;
    const producers = Array.from({ length: PARTITIONS }, async (_, p) => {
      const conn = await RawConnection.open(broker.bootstrap);
      for (let b = 0; !stop && !conn.closed; b++) {
        const values = Array.from({ length: 10 }, (_, i) => `p${p}b${b}-${i}`);
        const answer = await Promise.race([produce(conn, 'killed', p, values), conn.whenClosed()]);
        if (answer === undefined) break; // the connection died with the broker: not acknowledged
        expect(answer.errorCode).toBe(0);
        acknowledged[p]!.push(...values);
      }
      conn.close();
    });
    // Kill once every partition has acknowledged data, while the producers are still sending.
    while (acknowledged.some((values) => values.length < 50)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    broker.child.kill('SIGKILL');
    expect((await broker.exited).signal).toBe('SIGKILL');
    stop = true;
    await Promise.all(producers);

    broker = await startBrokerProcess(dataDir, port, config);
    const conn = await RawConnection.open(broker.bootstrap);
    try {
      for (let p = 0; p < PARTITIONS; p++) {
        const after = await readAll(conn, 'killed', p);
        // Everything acknowledged is there, in order; a batch in flight at the kill may be there too.
        expect(after.slice(0, acknowledged[p]!.length)).toEqual(acknowledged[p]);
        expect(after.length - acknowledged[p]!.length).toBeLessThanOrEqual(10);
      }
      expect((await produce(conn, 'killed', 0, ['after-kill'])).errorCode).toBe(0);
    } finally {
      conn.close();
      broker.child.kill('SIGTERM');
      await broker.exited;
    }
  }, 90_000);
});
