/** Pieces shared by the topic commands: the health-filter flags and running an action with confirmation. */
import { Flags } from '@oclif/core';
import type { Connection } from '../../src/cli/config.js';
import type { KafkaTopicsAction } from '../../src/cli/kafka-flags.js';

export const healthFlags = {
  'under-replicated-partitions': Flags.boolean({
    summary: 'Only partitions whose ISR is smaller than their replicas',
    helpGroup: 'FILTER',
  }),
  'under-min-isr-partitions': Flags.boolean({
    summary: 'Only partitions with ISR < min.insync.replicas or no leader',
    helpGroup: 'FILTER',
  }),
  'at-min-isr-partitions': Flags.boolean({
    summary: 'Only partitions with ISR = min.insync.replicas',
    helpGroup: 'FILTER',
  }),
  'unavailable-partitions': Flags.boolean({
    summary: 'Only partitions without a live leader',
    helpGroup: 'FILTER',
  }),
  'topics-with-overrides': Flags.boolean({
    summary: 'Only topics with config overrides',
    helpGroup: 'FILTER',
  }),
};

/** Runs a topic action and prints its result; `yes` skips the confirmation of a delete. */
export async function runTopics(
  io: {
    connection: Connection;
    output: (data: unknown, table: () => string) => void;
    machineOutput: boolean;
  },
  action: KafkaTopicsAction,
  yes: boolean,
): Promise<void> {
  const [{ runTopicsAction }, { confirm }] = await Promise.all([
    import('../../src/ops/topics/run.js'),
    import('../../src/cli/confirm.js'),
  ]);
  const result = await runTopicsAction(action, {
    connection: io.connection,
    confirm: (question) => confirm(question, { yes, machineOutput: io.machineOutput }),
  });
  io.output(result.data, result.table);
}
