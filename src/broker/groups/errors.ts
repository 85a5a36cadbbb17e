/**
 * The Kafka error codes the group coordinator answers with, by name (ErrorCode.UNKNOWN_MEMBER_ID = 25).
 *
 * Behavior:
 * * Values come from the protocol core's table (src/protocol/errors.ts, Kafka 4.1's Errors.java), so a
 *   misspelt name fails at import, not on the wire.
 * * Only the codes this coordinator can produce are listed; handlers put them on the wire unchanged.
 */
import { errorCode } from '../../protocol/errors.js';

const NAMES = [
  'UNKNOWN_SERVER_ERROR',
  'NONE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'OFFSET_METADATA_TOO_LARGE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'ILLEGAL_GENERATION',
  'INCONSISTENT_GROUP_PROTOCOL',
  'INVALID_GROUP_ID',
  'UNKNOWN_MEMBER_ID',
  'INVALID_SESSION_TIMEOUT',
  'REBALANCE_IN_PROGRESS',
  'NON_EMPTY_GROUP',
  'GROUP_ID_NOT_FOUND',
  'MEMBER_ID_REQUIRED',
  'GROUP_MAX_SIZE_REACHED',
  'FENCED_INSTANCE_ID',
  'GROUP_SUBSCRIBED_TO_TOPIC',
] as const;

export type GroupErrorName = (typeof NAMES)[number];

export const ErrorCode: Readonly<Record<GroupErrorName, number>> = Object.freeze(
  Object.fromEntries(NAMES.map((name) => [name, errorCode(name)])) as Record<GroupErrorName, number>,
);
