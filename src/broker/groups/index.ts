/**
 * Public surface of the classic group coordinator (see ./coordinator.ts for the behaviour).
 */
export { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-protocol.js';
export { GroupCoordinator, type GroupCoordinatorOptions } from './coordinator.js';
export { ErrorCode, type GroupErrorName } from './errors.js';
export { LogKeyValueLog, type LogKeyValueLogOptions, type PartitionLog } from './log-store.js';
export type { PartitionExists } from './offsets.js';
export {
  decodeGroupMetadataValue,
  decodeGroupRecord,
  decodeOffsetCommitValue,
  type EncodedRecord,
  encodeGroupMetadataValue,
  encodeGroupRecord,
  encodeOffsetCommitValue,
  type GroupMetadataMemberRecord,
  type GroupMetadataRecord,
  type GroupRecord,
} from './records.js';
export { type CoordinatorConfig, DEFAULT_CONFIG, type GroupLogger } from './runtime.js';
export {
  type GroupStore,
  InMemoryGroupStore,
  InMemoryKeyValueLog,
  KeyValueGroupStore,
  type KeyValueLog,
} from './store.js';
export {
  type GroupTime,
  KeyedTimers,
  liveSystemTimers,
  ManualTime,
  systemTime,
  type TimerHandle,
} from './time.js';
export type * from './types.js';
