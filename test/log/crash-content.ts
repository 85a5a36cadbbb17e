/** Deterministic record content of the crash test: the value stored at `offset`. */
export function valueFor(offset: bigint): Uint8Array {
  const n = Number(offset % 997n);
  const length = 20 + ((n * 37) % 400);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (n * 31 + i * 7) & 0xff;
  return out;
}
