import { describe, expect, it } from 'vitest';
import { crc32c, crc32cImplementation, crc32cJs } from '../../src/protocol/crc32c.js';

describe('crc32c', () => {
  it('gives the standard check value for "123456789"', () => {
    const check = Buffer.from('123456789');
    expect(crc32cJs(check)).toBe(0xe3069283);
    expect(crc32c(check)).toBe(0xe3069283);
  });

  it('the native implementation loaded and agrees with the JS oracle on random buffers', () => {
    expect(crc32cImplementation).toBe('native');
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let t = 0; t < 300; t++) {
      const buf = Buffer.alloc(rnd() % (t < 250 ? 300 : 70_000));
      for (let i = 0; i < buf.length; i++) buf[i] = rnd() & 0xff;
      const offset = buf.length > 0 ? rnd() % buf.length : 0;
      const view = buf.subarray(offset);
      expect(crc32c(view)).toBe(crc32cJs(view));
      // Continuation: crc(a ‖ b) = crc(b, crc(a)).
      const cut = rnd() % (view.length + 1);
      expect(crc32c(view.subarray(cut), crc32c(view.subarray(0, cut)))).toBe(crc32cJs(view));
    }
  });
});
