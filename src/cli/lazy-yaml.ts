/**
 * The yaml package, loaded on first use: most commands never read a config file or print YAML, and
 * importing it costs ~45 ms of start-up here. `require` (not `await import`) keeps callers synchronous.
 */
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let loaded: YamlModule | undefined;

export function yaml(): YamlModule {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return loaded;
}
