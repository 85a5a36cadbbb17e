/**
 * kt's one error model for operating errors (things that go wrong in the world: bad input, an unreachable
 * cluster, a broker error). Each carries a stable `code` (KT_*) that scripts can match in `--output json`
 * error output, and the process exit code: 1 for errors, 2 for usage errors (bad flags or arguments).
 *
 * Programming errors (broken invariants) are not KtErrors: they surface as bugs with a stack trace.
 *
 * It lives in src/errors, the bottom layer, so every layer (client, ops, mirror, broker, cli) throws the same
 * type; only the CLI turns it into an exit code and one line on stderr. Kafka's own error codes are in
 * kafka.ts (the table, ProtocolError) and codes.generated.ts (ErrorCode.X).
 */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

export type KtErrorCode =
  | 'KT_USAGE'
  | 'KT_CONFIG'
  | 'KT_CONNECTION'
  | 'KT_TIMEOUT'
  | 'KT_NOT_FOUND'
  | 'KT_ALREADY_EXISTS'
  | 'KT_INVALID_INPUT'
  | 'KT_KAFKA'
  | 'KT_CONFIRMATION_REQUIRED'
  | 'KT_IO'
  /** A check the operator asked for found problems (kt mirror verify): the report says which. */
  | 'KT_CHECK_FAILED';

export interface KtErrorOptions {
  /** What the operator can do next, printed after the error line. */
  hint?: string;
  /** Kafka's numeric error code, when the error came from a broker. */
  kafkaCode?: number;
  cause?: unknown;
}

export class KtError extends Error {
  readonly code: KtErrorCode;
  readonly exitCode: number;
  readonly hint: string | undefined;
  readonly kafkaCode: number | undefined;

  constructor(code: KtErrorCode, message: string, options: KtErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KtError';
    this.code = code;
    this.exitCode = code === 'KT_USAGE' ? EXIT_USAGE : EXIT_ERROR;
    this.hint = options.hint;
    this.kafkaCode = options.kafkaCode;
  }
}

/** A usage error: flags or arguments that cannot work together. Exit code 2. */
export function usageError(message: string, hint?: string): KtError {
  return new KtError('KT_USAGE', message, hint === undefined ? {} : { hint });
}

/** The message of anything thrown, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
