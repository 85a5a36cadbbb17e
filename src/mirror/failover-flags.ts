/**
 * The flags of `kt mirror failover` and `kt mirror failback`, defined once. The two commands differ only
 * in the names of the cluster pair (--source/--target, --from/--to) and their help texts, so the pair's
 * flags are built from those names and read back into one FailoverCommandInput by failoverInput.
 * Imported statically by the commands: @oclif/core and types only.
 */
import { Flags, type Interfaces } from '@oclif/core';
import type { RenamePolicy } from './policy.js';

/** Flags both directions share. */
export const sharedFailoverFlags = {
  group: Flags.string({
    char: 'g',
    summary: 'Consumer group to move (repeat for several)',
    required: true,
    multiple: true,
  }),
  rename: Flags.option({
    options: ['prefix', 'identity'] as const,
    default: 'prefix',
    summary: 'The mirror flow’s topic naming (as given to kt mirror run)',
  })(),
  topics: Flags.string({
    summary: 'Only these topics of the group: a whole-name regex or a comma-separated list',
  }),
  'dry-run': Flags.boolean({ summary: 'Print the plan, commit nothing' }),
  yes: Flags.boolean({ char: 'y', summary: 'Do not ask for confirmation' }),
  'allow-rewind': Flags.boolean({
    summary: 'Also move partitions whose target offset is ahead of the translation back to it',
  }),
};

/** Help texts of the cluster-pair flags of one command. */
export interface PairTexts {
  from: string;
  to: string;
  fromAlias: string;
  toAlias: string;
  /** Default of the --<to>-alias flag; without it the flag is required. */
  toAliasDefault?: string;
  fromTimeout: string;
  fromDown: string;
}

/** The cluster-pair flags named after `from` and `to`: clusters, aliases, the source's timeout and -down. */
export type PairFlags<F extends string, T extends string> = Record<
  F | T | `${F}-alias` | `${T}-alias`,
  Interfaces.OptionFlag<string>
> &
  Record<`${F}-timeout-ms`, Interfaces.OptionFlag<number>> &
  Record<`${F}-down`, Interfaces.BooleanFlag<boolean>>;

export function pairFlags<F extends string, T extends string>(
  from: F,
  to: T,
  text: PairTexts,
): PairFlags<F, T> {
  const flags = {
    [from]: Flags.string({ summary: text.from, required: true }),
    [to]: Flags.string({ summary: text.to, required: true }),
    [`${from}-alias`]: Flags.string({ summary: text.fromAlias, required: true }),
    [`${to}-alias`]:
      text.toAliasDefault === undefined
        ? Flags.string({ summary: text.toAlias, required: true })
        : Flags.string({ summary: text.toAlias, default: text.toAliasDefault }),
    [`${from}-timeout-ms`]: Flags.integer({ summary: text.fromTimeout, default: 5_000, min: 1 }),
    [`${from}-down`]: Flags.boolean({ summary: text.fromDown }),
  };
  // Computed keys widen to `string`; the names above are exactly PairFlags's keys.
  return flags as unknown as PairFlags<F, T>;
}

export interface FailoverCommandInput {
  direction: 'failover' | 'failback';
  /** The cluster the groups leave and the one they move to, as flags gave them. */
  from: { value: string; flag: string; alias: string; down: boolean; timeoutMs: number };
  to: { value: string; flag: string; alias: string };
  groups: string[];
  rename: RenamePolicy;
  topics: string | undefined;
  dryRun: boolean;
  yes: boolean;
  allowRewind: boolean;
}

/** The parsed flags of a command defined with sharedFailoverFlags and pairFlags(from, to). */
export type ParsedFailoverFlags<F extends string, T extends string> = Record<
  F | T | `${F}-alias` | `${T}-alias`,
  string
> &
  Record<`${F}-timeout-ms`, number> &
  Record<`${F}-down`, boolean> & {
    group: string[];
    rename: RenamePolicy;
    topics: string | undefined;
    'dry-run': boolean;
    yes: boolean;
    'allow-rewind': boolean;
  };

export function failoverInput<F extends string, T extends string>(
  direction: 'failover' | 'failback',
  from: F,
  to: T,
  flags: ParsedFailoverFlags<F, T>,
): FailoverCommandInput {
  // One view per value type: indexing the intersection with a generic key does not narrow.
  const text: Record<F | T | `${F}-alias` | `${T}-alias`, string> = flags;
  const timeoutsMs: Record<`${F}-timeout-ms`, number> = flags;
  const down: Record<`${F}-down`, boolean> = flags;
  return {
    direction,
    from: {
      value: text[from],
      flag: `--${from}`,
      alias: text[`${from}-alias`],
      down: down[`${from}-down`],
      timeoutMs: timeoutsMs[`${from}-timeout-ms`],
    },
    to: { value: text[to], flag: `--${to}`, alias: text[`${to}-alias`] },
    groups: flags.group,
    rename: flags.rename,
    topics: flags.topics,
    dryRun: flags['dry-run'],
    yes: flags.yes,
    allowRewind: flags['allow-rewind'],
  };
}
