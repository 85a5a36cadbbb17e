/** Locations inside the installed kt package, valid from dist/ (compiled) and from src/ (tsx) alike. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding kt's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'package.json');
    if (
      existsSync(candidate) &&
      (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'kt-kafka'
    ) {
      root = dir;
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error('kt package root not found above ' + fileURLToPath(import.meta.url));
}

/** bin/run.js: how kt starts another kt process (detached broker, tests). */
export function ktBinPath(): string {
  return join(packageRoot(), 'bin', 'run.js');
}
