/**
 * The confirmation prompt of destructive commands (topics delete, records delete). It asks only when stdin
 * and stderr are terminals and the output is for humans; otherwise (scripts, pipes, --output json) it
 * never blocks: the command needs --yes, and says so in one line.
 */
import { KtError } from '../errors/kt-error.js';

export interface ConfirmOptions {
  /** --yes given: proceed without asking. */
  yes: boolean;
  /** Machine output (--output json|yaml): never prompt. */
  machineOutput?: boolean;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Resolves true to go ahead, false when the user declined; throws when it may not ask. */
export async function confirm(question: string, options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (!input.isTTY || !output.isTTY || options.machineOutput) {
    throw new KtError('KT_CONFIRMATION_REQUIRED', `${question.replace(/\?$/, '')}: pass --yes to confirm`, {
      hint: 'kt asks only on a terminal; use --dry-run to see what would happen',
    });
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input, output });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
