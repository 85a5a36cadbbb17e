/** The resource flags of `kt configs describe|alter`: exactly one of --topic, --broker, --broker-defaults. */
import { Flags } from '@oclif/core';
import type { ConfigResource } from '../../src/ops/configs/describe.js';

export const resourceFlags = {
  topic: Flags.string({
    char: 't',
    summary: 'A topic',
    helpGroup: 'RESOURCE',
    exclusive: ['broker', 'broker-defaults'],
  }),
  broker: Flags.integer({
    summary: 'A broker, by id',
    helpGroup: 'RESOURCE',
    exclusive: ['topic', 'broker-defaults'],
  }),
  'broker-defaults': Flags.boolean({
    summary: 'The cluster-wide broker defaults (kafka-configs --entity-default)',
    helpGroup: 'RESOURCE',
    exclusive: ['topic', 'broker'],
  }),
};

export async function resourceOf(flags: {
  topic?: string | undefined;
  broker?: number | undefined;
  'broker-defaults'?: boolean;
}): Promise<ConfigResource> {
  const { usageError } = await import('../../src/errors/kt-error.js');
  if (flags.topic !== undefined) {
    const { checkTopicNames } = await import('../../src/ops/topics/input.js');
    checkTopicNames([flags.topic], 'use topic');
    return { type: 'topic', name: flags.topic };
  }
  if (flags.broker !== undefined) {
    if (flags.broker < 0) throw usageError(`--broker ${flags.broker}: broker ids are >= 0`);
    return { type: 'broker', name: String(flags.broker) };
  }
  if (flags['broker-defaults']) return { type: 'broker-defaults', name: '' };
  throw usageError('Give one of --topic NAME, --broker ID, --broker-defaults');
}
