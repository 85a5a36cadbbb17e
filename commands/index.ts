import type { Command } from '@oclif/core';
import BrokerStart from './broker/start.js';
import BrokerStatus from './broker/status.js';
import BrokerStop from './broker/stop.js';
import ClusterInfo from './cluster/info.js';
import ConfigsAlter from './configs/alter.js';
import ConfigsDescribe from './configs/describe.js';
import Consume from './consume.js';
import GroupsDelete from './groups/delete.js';
import GroupsDeleteOffsets from './groups/delete-offsets.js';
import GroupsDescribe from './groups/describe.js';
import GroupsList from './groups/list.js';
import GroupsResetOffsets from './groups/reset-offsets.js';
import MirrorFailback from './mirror/failback.js';
import MirrorFailover from './mirror/failover.js';
import MirrorRun from './mirror/run.js';
import MirrorStatus from './mirror/status.js';
import MirrorVerify from './mirror/verify.js';
import Offsets from './offsets.js';
import Produce from './produce.js';
import ProfilesCurrent from './profiles/current.js';
import ProfilesDelete from './profiles/delete.js';
import ProfilesList from './profiles/list.js';
import ProfilesSet from './profiles/set.js';
import ProfilesUse from './profiles/use.js';
import Quickstart from './quickstart.js';
import RecordsDelete from './records/delete.js';
import TopicsAlter from './topics/alter.js';
import TopicsCreate from './topics/create.js';
import TopicsDelete from './topics/delete.js';
import TopicsDescribe from './topics/describe.js';
import Topics from './topics/index.js';
import TopicsList from './topics/list.js';

/**
 * The command registry (oclif "explicit" strategy). Each command module is small and imports its service
 * from src/ lazily inside run(), so `kt --help` and `kt topics list` do not load what they do not use.
 */
export const commands: Record<string, Command.Class> = {
  'broker:start': BrokerStart,
  'broker:status': BrokerStatus,
  'broker:stop': BrokerStop,
  consume: Consume,
  produce: Produce,
  'profiles:current': ProfilesCurrent,
  quickstart: Quickstart,
  'profiles:delete': ProfilesDelete,
  'profiles:list': ProfilesList,
  'profiles:set': ProfilesSet,
  'profiles:use': ProfilesUse,
  'cluster:info': ClusterInfo,
  'configs:alter': ConfigsAlter,
  'configs:describe': ConfigsDescribe,
  'groups:delete': GroupsDelete,
  'groups:delete-offsets': GroupsDeleteOffsets,
  'groups:describe': GroupsDescribe,
  'groups:list': GroupsList,
  'groups:reset-offsets': GroupsResetOffsets,
  'mirror:failback': MirrorFailback,
  'mirror:failover': MirrorFailover,
  'mirror:run': MirrorRun,
  'mirror:status': MirrorStatus,
  'mirror:verify': MirrorVerify,
  offsets: Offsets,
  'records:delete': RecordsDelete,
  topics: Topics,
  'topics:alter': TopicsAlter,
  'topics:create': TopicsCreate,
  'topics:delete': TopicsDelete,
  'topics:describe': TopicsDescribe,
  'topics:list': TopicsList,
};
