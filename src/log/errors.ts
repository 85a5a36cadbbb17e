/**
 * The log core's one error model: every failure a caller can act on is a LogError with a stable `code`.
 * File-system failures keep the OS error as `cause` (its errno code, e.g. ENOSPC, in `osCode`).
 */
export type LogErrorCode =
  | 'KT_LOG_CORRUPT_BATCH' // the batch offered to append is malformed or fails its CRC; nothing written
  | 'KT_LOG_BATCH_TOO_LARGE' // the batch exceeds maxBatchBytes; nothing written
  | 'KT_LOG_OFFSET_OUT_OF_RANGE' // read/DeleteRecords outside [logStartOffset, logEndOffset]
  | 'KT_LOG_IO' // the file system failed; the append was not acknowledged and was rolled back
  | 'KT_LOG_CLOSED' // the log was closed
  | 'KT_LOG_CONFIG' // a bad LogConfig value
  | 'KT_LOG_CHECKPOINT' // a checkpoint file is malformed
  | 'KT_LOG_FAILED'; // an I/O failure could not be rolled back; reopen the log (recovery repairs it)

export class LogError extends Error {
  readonly code: LogErrorCode;
  /** errno code of the underlying file-system error (ENOSPC, EIO, …), when there was one. */
  readonly osCode: string | undefined;

  constructor(code: LogErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LogError';
    this.code = code;
    const cause = options.cause as { code?: unknown } | undefined;
    this.osCode = typeof cause?.code === 'string' ? cause.code : undefined;
  }
}

export class LogConfigError extends LogError {
  constructor(message: string) {
    super('KT_LOG_CONFIG', message);
    this.name = 'LogConfigError';
  }
}
