/**
 * Public surface of the classic group coordinator (see ./coordinator.ts for the behaviour).
 *
 * Notes for the request handlers (checked end to end with kafkajs, kcat -G and Kafka 4.1's
 * ConsoleConsumer --group against a throw-away wiring):
 * * FindCoordinator: this node for every group (one broker).
 * * JoinGroup: requireKnownMemberId = version >= 4, supportsSkipAssignment = version >= 9, clientId from
 *   the request header, clientHost as Kafka prints it ('/127.0.0.1'); v0-6: protocolName null → ''.
 * * LeaveGroup v0-2: one member { memberId, groupInstanceId: null }; answer the member's error code as the
 *   top-level error. v3+: the batch as is.
 * * OffsetCommit: pass `apiVersion` (v9+ answers GROUP_ID_NOT_FOUND for unknown groups).
 * * OffsetFetch v8+: call offsetFetch once per group of the request; v0-7: the top-level group/topics.
 * * DescribeGroups v6+: `notFoundAsError: true`.
 * * The store: `new KeyValueGroupStore(new LogKeyValueLog(consumerOffsetsLog, { flushEachAppend }))`,
 *   then `await GroupCoordinator.open({ store, … })` before serving group requests.
 */
export { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-protocol.js';
export { GroupCoordinator, type GroupCoordinatorOptions } from './coordinator.js';
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
