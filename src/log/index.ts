/** The log core: a segmented commit log in Kafka's on-disk layout. See README.md. */

export * from './checkpoint.js';
export type { CompactionOptions, CompactionReport } from './compaction.js';
export { compactLog } from './compaction.js';
export * from './config.js';
export * from './errors.js';
export type { FaultKind, FaultOp } from './fault-fs.js';
export { FaultyFs } from './fault-fs.js';
export type { LogFs } from './fs.js';
export { fsyncDirectory, nodeFs, writeFileAtomic } from './fs.js';
export { LeaderEpochCache } from './leader-epoch.js';
export type { AppendOptions, AppendResult, LogOptions, ReadResult } from './log.js';
export { Log } from './log.js';
export type { LogManagerOptions } from './log-manager.js';
export { LogManager } from './log-manager.js';
export type { RecoveryReport } from './recovery.js';
export type { RetentionReport } from './retention.js';
export { applyRetention } from './retention.js';
export { segmentFileName } from './segment.js';
