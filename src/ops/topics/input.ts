/**
 * Validation of topic input before anything is sent: Kafka's topic name rules, `k=v` config pairs,
 * kafka-topics.sh style replica assignments, and regex selection (a whole-name match, as TopicCommand).
 */
import { KtError, usageError } from '../../errors/kt-error.js';

export const TOPIC_NAME_LENGTH_MAX = 249;
const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

/** Why `name` is not a legal Kafka topic name, or undefined when it is. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > TOPIC_NAME_LENGTH_MAX)
    return `topic name is ${name.length} characters long: at most ${TOPIC_NAME_LENGTH_MAX} are allowed`;
  if (!LEGAL_NAME.test(name)) return 'topic name may only contain ASCII letters, digits, ".", "_" and "-"';
  return undefined;
}

/** Throws one KT_INVALID_INPUT error naming every illegal topic name. */
export function checkTopicNames(names: readonly string[], action: string): void {
  const problems = names
    .map((name) => [name, topicNameProblem(name)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  if (problems.length === 0) return;
  throw new KtError(
    'KT_INVALID_INPUT',
    `Cannot ${action} ${problems.map(([name, problem]) => `"${name}": ${problem}`).join('; ')}`,
  );
}

/** Parses repeated `k=v` options into an ordered record; a key twice is a usage error. */
export function parseConfigPairs(pairs: readonly string[], flag = '--config'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`${flag} ${pair}: expected key=value`);
    const key = pair.slice(0, eq).trim();
    if (key in out) throw usageError(`${flag}: ${key} given twice`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * kafka-topics.sh `--replica-assignment 1:2,2:3`: partitions separated by commas, the broker ids of one
 * partition by colons; every partition must have the same number of replicas, without duplicates.
 */
export function parseReplicaAssignment(value: string): number[][] {
  const partitions = value.split(',').map((part, index) => {
    const ids = part.split(':').map((s) => s.trim());
    if (ids.some((id) => !/^\d+$/.test(id))) {
      throw usageError(
        `--replica-assignment ${value}: partition ${index} "${part}" is not broker ids joined by ":"`,
      );
    }
    const numbers = ids.map(Number);
    if (new Set(numbers).size !== numbers.length) {
      throw usageError(`--replica-assignment ${value}: partition ${index} lists a broker twice`);
    }
    return numbers;
  });
  const size = partitions[0]?.length ?? 0;
  if (partitions.some((p) => p.length !== size)) {
    throw usageError(`--replica-assignment ${value}: every partition needs the same number of replicas`);
  }
  return partitions;
}

/** A regex matching whole topic names (TopicCommand semantics); a bad pattern is a usage error. */
export function topicRegex(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw usageError(`--regex ${pattern}: ${(error as Error).message}`);
  }
}

/**
 * True when a kafka-topics.sh `--topic` value is a legal topic name, so it names one topic (and a missing
 * topic is an error) rather than being a pattern. Legal names hold no regex metacharacter but ".".
 */
export function isLiteralTopic(value: string): boolean {
  return topicNameProblem(value) === undefined;
}
