/** Loads an optional native module by name, so that a missing one fails only the codec that needs it. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function loadNative<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (err) {
    throw new Error(`compression module ${name} could not be loaded: ${(err as Error).message}`);
  }
}
