// Golden JSON shapes of kt's admin commands (fixtures/cli/NAME.json): the type skeleton of a command's
// --output json, so a renamed, removed or retyped field fails a test. KT_UPDATE_FIXTURES=1 rewrites them.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

const FIXTURES = new URL('../../fixtures/cli/', import.meta.url);

/** The type skeleton of a JSON value: values vary between runs and clusters, shapes must not. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    // Config maps are keyed by data (config names): pin their value type, not their keys.
    return Object.fromEntries(
      Object.entries(value as object).map(([k, v]) => [
        k,
        k === 'configs' && v !== null && !Array.isArray(v) ? { '<name>': 'string|null' } : shapeOf(v),
      ]),
    );
  }
  return typeof value;
}

/** Compares the shape of `value` with fixtures/cli/NAME.json (written when missing or on update). */
export function expectShape(name: string, value: unknown): void {
  const file = new URL(`${name}.json`, FIXTURES);
  const shape = shapeOf(value);
  if (process.env.KT_UPDATE_FIXTURES === '1' || !existsSync(file)) {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(file, `${JSON.stringify(shape, null, 2)}\n`);
  }
  expect(shape).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
