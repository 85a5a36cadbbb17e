/**
 * Every API schema kt speaks, by API key. Adding an API: write its NN-name.ts, list it here, run
 * `npx tsx src/protocol/schema/generate-types.ts`.
 */
import type { ApiSpec } from '../schema/spec.js';
import { produceApi } from './00-produce.js';
import { fetchApi } from './01-fetch.js';
import { listOffsetsApi } from './02-list-offsets.js';
import { metadataApi } from './03-metadata.js';
import { offsetCommitApi } from './08-offset-commit.js';
import { offsetFetchApi } from './09-offset-fetch.js';
import { findCoordinatorApi } from './10-find-coordinator.js';
import { joinGroupApi } from './11-join-group.js';
import { heartbeatApi } from './12-heartbeat.js';
import { leaveGroupApi } from './13-leave-group.js';
import { syncGroupApi } from './14-sync-group.js';
import { describeGroupsApi } from './15-describe-groups.js';
import { listGroupsApi } from './16-list-groups.js';
import { saslHandshakeApi } from './17-sasl-handshake.js';
import { apiVersionsApi } from './18-api-versions.js';
import { createTopicsApi } from './19-create-topics.js';
import { deleteTopicsApi } from './20-delete-topics.js';
import { deleteRecordsApi } from './21-delete-records.js';
import { initProducerIdApi } from './22-init-producer-id.js';
import { addPartitionsToTxnApi } from './24-add-partitions-to-txn.js';
import { addOffsetsToTxnApi } from './25-add-offsets-to-txn.js';
import { endTxnApi } from './26-end-txn.js';
import { txnOffsetCommitApi } from './28-txn-offset-commit.js';
import { describeConfigsApi } from './32-describe-configs.js';
import { alterConfigsApi } from './33-alter-configs.js';
import { describeLogDirsApi } from './35-describe-log-dirs.js';
import { saslAuthenticateApi } from './36-sasl-authenticate.js';
import { createPartitionsApi } from './37-create-partitions.js';
import { deleteGroupsApi } from './42-delete-groups.js';
import { electLeadersApi } from './43-elect-leaders.js';
import { incrementalAlterConfigsApi } from './44-incremental-alter-configs.js';
import { offsetDeleteApi } from './47-offset-delete.js';
import { describeClusterApi } from './60-describe-cluster.js';

export const ALL_APIS: readonly ApiSpec[] = [
  produceApi,
  fetchApi,
  listOffsetsApi,
  metadataApi,
  offsetCommitApi,
  offsetFetchApi,
  findCoordinatorApi,
  joinGroupApi,
  heartbeatApi,
  leaveGroupApi,
  syncGroupApi,
  describeGroupsApi,
  listGroupsApi,
  saslHandshakeApi,
  apiVersionsApi,
  createTopicsApi,
  deleteTopicsApi,
  deleteRecordsApi,
  initProducerIdApi,
  addPartitionsToTxnApi,
  addOffsetsToTxnApi,
  endTxnApi,
  txnOffsetCommitApi,
  describeConfigsApi,
  alterConfigsApi,
  describeLogDirsApi,
  saslAuthenticateApi,
  createPartitionsApi,
  deleteGroupsApi,
  electLeadersApi,
  incrementalAlterConfigsApi,
  offsetDeleteApi,
  describeClusterApi,
];
