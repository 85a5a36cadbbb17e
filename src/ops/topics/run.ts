/**
 * One entry point per topic action, shared by the subcommands (`kt topics describe …`) and the
 * kafka-topics.sh flag form (`kt topics --describe …`), so both forms run the same code and print the same
 * data. Returns the data (the command's JSON) and its table rendering.
 */
import type { Connection } from '../../cli/config.js';
import type { KafkaTopicsAction } from '../../cli/kafka-flags.js';
import { KtError } from '../../errors/kt-error.js';
import { withCluster } from '../cluster/connect.js';
import { alterTopic } from './alter.js';
import { createTopics } from './create.js';
import { deleteTopics, planDelete } from './delete.js';
import { describeTopics, listTopics } from './describe.js';
import {
  renderAltered,
  renderCreated,
  renderDeleted,
  renderTopicDescriptions,
  renderTopicList,
} from './render.js';

export interface TopicsRunContext {
  connection: Connection;
  /** Asks before destructive actions; resolves false when declined (see src/cli/confirm.ts). */
  confirm: (question: string) => Promise<boolean>;
}

export interface Rendered {
  data: unknown;
  table: () => string;
}

export async function runTopicsAction(action: KafkaTopicsAction, ctx: TopicsRunContext): Promise<Rendered> {
  return withCluster(ctx.connection, async (client) => {
    switch (action.action) {
      case 'list': {
        const data = await listTopics(client, action.options);
        return { data, table: () => renderTopicList(data) };
      }
      case 'describe': {
        const data = await describeTopics(client, action.options);
        return { data, table: () => renderTopicDescriptions(data) };
      }
      case 'create': {
        const data = await createTopics(client, action.input);
        return { data, table: () => renderCreated(data) };
      }
      case 'alter': {
        const data = await alterTopic(client, action.input);
        return { data, table: () => renderAltered(data) };
      }
      case 'delete': {
        const plan = await planDelete(client, action.input);
        if (!action.input.dryRun && plan.doomed.length > 0) {
          const list = plan.doomed.length <= 5 ? plan.doomed.join(', ') : `${plan.doomed.length} topics`;
          if (!(await ctx.confirm(`Delete ${list}?`))) {
            throw new KtError('KT_CONFIRMATION_REQUIRED', 'Not confirmed: nothing was deleted');
          }
        }
        const data = await deleteTopics(client, plan, { dryRun: action.input.dryRun ?? false });
        return { data, table: () => renderDeleted(data) };
      }
    }
  });
}
