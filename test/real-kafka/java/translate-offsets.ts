// Compiles TranslateOffsets.java (next to this file) into a temp dir with the harness's jars and runs it:
// Java's RemoteClusterUtils.translateOffsets for each group against the target cluster.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findExecutable, javaBin, LIB_DIR, LOG4J2_FILE } from '../lib.js';

const run = promisify(execFile);
const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'TranslateOffsets.java');
/** javac plus a JVM that reads a topic: generous on 2 shared cores. */
const JAVA_TIMEOUT_MS = 120_000;

/** javac next to the java the harness uses, else on PATH. */
function javacBin(): string | undefined {
  const java = javaBin();
  const sibling = java === undefined ? undefined : join(dirname(java), 'javac');
  return (sibling && findExecutable('javac') === sibling ? sibling : undefined) ?? findExecutable('javac');
}

/**
 * `group TAB topic TAB partition TAB offset` lines, sorted, as RemoteClusterUtils.translateOffsets returns
 * them for `groups`. Undefined (with one line printed) when no javac is installed; under
 * KT_REQUIRE_REAL_KAFKA=1 (CI) that is an error instead.
 */
export async function translateWithJava(
  targetBootstrap: string,
  sourceAlias: string,
  groups: readonly string[],
): Promise<string[] | undefined> {
  const java = javaBin();
  const javac = javacBin();
  if (java === undefined || javac === undefined) {
    const why = 'javac not found: the RemoteClusterUtils interop check needs a JDK';
    if (process.env.KT_REQUIRE_REAL_KAFKA === '1') throw new Error(`KT_REQUIRE_REAL_KAFKA=1: ${why}`);
    console.log(`[kt-test] skipped: ${why}`);
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'kt-translate-offsets-'));
  try {
    const classpath = join(LIB_DIR, '*');
    await run(javac, ['-cp', classpath, '-d', dir, SOURCE], { timeout: JAVA_TIMEOUT_MS });
    const { stdout } = await run(
      java,
      [
        '-Xmx256m',
        '-cp',
        `${dir}${delimiter}${classpath}`,
        `-Dlog4j2.configurationFile=${LOG4J2_FILE}`,
        'TranslateOffsets',
        targetBootstrap,
        sourceAlias,
        ...groups,
      ],
      { timeout: JAVA_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout
      .split('\n')
      .filter((l) => l !== '')
      .sort();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
