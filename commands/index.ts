import type { Command } from '@oclif/core';
import BrokerStart from './broker/start.js';
import BrokerStatus from './broker/status.js';
import BrokerStop from './broker/stop.js';
import ProfilesCurrent from './profiles/current.js';
import ProfilesDelete from './profiles/delete.js';
import ProfilesList from './profiles/list.js';
import ProfilesSet from './profiles/set.js';
import ProfilesUse from './profiles/use.js';

/**
 * The command registry (oclif "explicit" strategy). Each command module is small and imports its service
 * from src/ lazily inside run(), so `kt --help` and `kt topics list` do not load what they do not use.
 */
export const commands: Record<string, Command.Class> = {
  'broker:start': BrokerStart,
  'broker:status': BrokerStatus,
  'broker:stop': BrokerStop,
  'profiles:current': ProfilesCurrent,
  'profiles:delete': ProfilesDelete,
  'profiles:list': ProfilesList,
  'profiles:set': ProfilesSet,
  'profiles:use': ProfilesUse,
};
