/**
 * Kafka's text checkpoint files, read and written atomically (temp file, fdatasync, rename, fsync dir).
 *
 * Formats (CheckpointFile.java): line 1 the version `0`, line 2 the entry count N, then N lines.
 *  - Offset checkpoints (`recovery-point-offset-checkpoint`, `log-start-offset-checkpoint`,
 *    `replication-offset-checkpoint`, `cleaner-offset-checkpoint`): `topic partition offset`.
 *  - `leader-epoch-checkpoint` (per partition dir): `epoch startOffset`.
 *
 * Parsing checks every line and throws LogError KT_LOG_CHECKPOINT on anything malformed (a checkpoint is
 * only ever replaced whole by rename, so a malformed one is real corruption, not a torn write).
 */
import { LogError } from './errors.js';
import type { LogFs } from './fs.js';
import { writeFileAtomic } from './fs.js';

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT = 'replication-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';
export const LEADER_EPOCH_CHECKPOINT = 'leader-epoch-checkpoint';
/** Kafka's clean-shutdown marker in a log directory. */
export const CLEAN_SHUTDOWN_MARKER = '.kafka_cleanshutdown';

const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: bigint;
}

export interface EpochEntry {
  epoch: number;
  startOffset: bigint;
}

function fail(name: string, why: string): never {
  throw new LogError('KT_LOG_CHECKPOINT', `${name}: ${why}`);
}

function parseLines(name: string, text: string, fields: number): string[][] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== '0') fail(name, `unsupported version ${JSON.stringify(lines[0] ?? '')}`);
  const count = Number(lines[1]);
  if (!Number.isInteger(count) || count < 0) fail(name, `bad entry count ${JSON.stringify(lines[1] ?? '')}`);
  if (lines.length !== count + 2) fail(name, `expected ${count} entries, found ${lines.length - 2}`);
  return lines.slice(2).map((line, i) => {
    const parts = line.split(' ');
    if (parts.length !== fields) fail(name, `line ${i + 3} has ${parts.length} fields, expected ${fields}`);
    return parts;
  });
}

function parseInteger(name: string, s: string): bigint {
  if (!/^-?\d{1,19}$/.test(s)) fail(name, `not an integer: ${JSON.stringify(s)}`);
  return BigInt(s);
}

function readText(fsys: LogFs, path: string, name: string): string | undefined {
  const size = fsys.sizeOf(path);
  if (size < 0) return undefined;
  if (size > MAX_CHECKPOINT_BYTES) fail(name, `${size} bytes is too large`);
  return new TextDecoder('utf-8', { fatal: true }).decode(fsys.readFile(path));
}

export function parseOffsetCheckpoint(name: string, text: string): TopicPartitionOffset[] {
  return parseLines(name, text, 3).map(([topic, partition, offset]) => {
    const p = parseInteger(name, partition!);
    if (p < 0n || p > 0x7fffffffn) fail(name, `bad partition ${partition}`);
    return { topic: topic!, partition: Number(p), offset: parseInteger(name, offset!) };
  });
}

export function formatOffsetCheckpoint(entries: readonly TopicPartitionOffset[]): string {
  return `0\n${entries.length}\n${entries.map((e) => `${e.topic} ${e.partition} ${e.offset}\n`).join('')}`;
}

export function parseLeaderEpochCheckpoint(text: string): EpochEntry[] {
  return parseLines(LEADER_EPOCH_CHECKPOINT, text, 2).map(([epoch, offset]) => {
    const e = parseInteger(LEADER_EPOCH_CHECKPOINT, epoch!);
    if (e < 0n || e > 0x7fffffffn) fail(LEADER_EPOCH_CHECKPOINT, `bad epoch ${epoch}`);
    return { epoch: Number(e), startOffset: parseInteger(LEADER_EPOCH_CHECKPOINT, offset!) };
  });
}

export function formatLeaderEpochCheckpoint(entries: readonly EpochEntry[]): string {
  return `0\n${entries.length}\n${entries.map((e) => `${e.epoch} ${e.startOffset}\n`).join('')}`;
}

/** Reads an offset checkpoint in `dir`; [] when the file does not exist. */
export function readOffsetCheckpoint(fsys: LogFs, dir: string, name: string): TopicPartitionOffset[] {
  const text = readText(fsys, `${dir}/${name}`, name);
  return text === undefined ? [] : parseOffsetCheckpoint(name, text);
}

export function writeOffsetCheckpoint(
  fsys: LogFs,
  dir: string,
  name: string,
  entries: readonly TopicPartitionOffset[],
): void {
  writeFileAtomic(fsys, dir, name, new TextEncoder().encode(formatOffsetCheckpoint(entries)));
}

export function readLeaderEpochCheckpoint(fsys: LogFs, partitionDir: string): EpochEntry[] {
  const text = readText(fsys, `${partitionDir}/${LEADER_EPOCH_CHECKPOINT}`, LEADER_EPOCH_CHECKPOINT);
  return text === undefined ? [] : parseLeaderEpochCheckpoint(text);
}

export function writeLeaderEpochCheckpoint(
  fsys: LogFs,
  partitionDir: string,
  entries: readonly EpochEntry[],
): void {
  const bytes = new TextEncoder().encode(formatLeaderEpochCheckpoint(entries));
  writeFileAtomic(fsys, partitionDir, LEADER_EPOCH_CHECKPOINT, bytes);
}
