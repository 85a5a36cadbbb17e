import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, type ErrorName } from '../../src/errors/codes.generated.js';
import { GENERATED_CODES_PATH, renderErrorCodes } from '../../src/errors/generate-codes.js';
import {
  errorForCode,
  errorForName,
  KAFKA_ERRORS,
  ProtocolError,
  throwIfError,
} from '../../src/errors/kafka.js';

describe('Kafka error table', () => {
  it('covers every code from -1 to 133 except the unassigned 99, each once', () => {
    const codes = KAFKA_ERRORS.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (let c = -1; c <= 133; c++) {
      if (c === 99) expect(codes).not.toContain(99);
      else expect(codes).toContain(c);
    }
    expect(new Set(KAFKA_ERRORS.map((e) => e.name)).size).toBe(codes.length);
  });

  it('has the well-known facts right', () => {
    expect(errorForCode(3)).toMatchObject({ name: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true });
    expect(errorForCode(6)).toMatchObject({ name: 'NOT_LEADER_OR_FOLLOWER', retriable: true });
    expect(errorForCode(35)).toMatchObject({ name: 'UNSUPPORTED_VERSION', retriable: false });
    expect(errorForCode(27)).toMatchObject({ name: 'REBALANCE_IN_PROGRESS', retriable: false });
    expect(errorForCode(-1).name).toBe('UNKNOWN_SERVER_ERROR');
    expect(errorForCode(0)).toMatchObject({ name: 'NONE', message: '' });
    expect(errorForName('TOPIC_ALREADY_EXISTS')?.code).toBe(36);
    expect(ErrorCode.GROUP_ID_NOT_FOUND).toBe(69);
    for (const e of KAFKA_ERRORS) expect(ErrorCode[e.name as ErrorName]).toBe(e.code);
    expect(Object.keys(ErrorCode)).toHaveLength(KAFKA_ERRORS.length);
  });

  it('treats unknown codes as not retriable', () => {
    const e = new ProtocolError(9999);
    expect(e.retriable).toBe(false);
    expect(e.name).toBe('UNKNOWN_ERROR_CODE');
    expect(e.message).toContain('9999');
  });

  it('ProtocolError carries code, name, retriable and derived flags', () => {
    const stale = new ProtocolError(6);
    expect(stale).toBeInstanceOf(Error);
    expect(stale).toMatchObject({
      code: 6,
      name: 'NOT_LEADER_OR_FOLLOWER',
      retriable: true,
      staleMetadata: true,
    });
    expect(stale.needsRejoin).toBe(false);
    expect(new ProtocolError(3).staleMetadata).toBe(true);
    for (const code of [22, 25, 27]) expect(new ProtocolError(code).needsRejoin).toBe(true);
    expect(new ProtocolError(16).coordinatorChanged).toBe(true);
    expect(new ProtocolError(90).producerFenced).toBe(true);
    expect(new ProtocolError(3, 'custom broker text').message).toBe('custom broker text');
    expect(new ProtocolError(3, null).message).toBe('This server does not host this topic-partition.');
    expect(() => throwIfError(0)).not.toThrow();
    expect(() => throwIfError(36)).toThrow(ProtocolError);
  });
});

describe('ErrorCode (codes.generated.ts)', () => {
  it('is what src/errors/generate-codes.ts produces from the table (run `npm run generate` when it fails)', () => {
    expect(readFileSync(GENERATED_CODES_PATH, 'utf8')).toBe(renderErrorCodes());
  });
});
