/**
 * The one error a decoder of outside bytes may throw: the input is malformed (too short, a length that
 * overruns the frame, an impossible value). Anything else escaping a decoder is a bug.
 */
export class DecodeError extends Error {
  readonly code = 'KT_DECODE' as const;
  /** Byte offset in the input where decoding failed, when known. */
  readonly offset: number;

  constructor(message: string, offset = -1) {
    super(message);
    this.name = 'DecodeError';
    this.offset = offset;
  }
}
