// The Apache Kafka jars (test/real-kafka/lib, resolved by Maven from pom.xml) and the Java that runs them.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from './proc.js';

export const REAL_KAFKA_DIR = dirname(fileURLToPath(import.meta.url));
export const LIB_DIR = join(REAL_KAFKA_DIR, 'lib');
export const STATE_DIR = join(REAL_KAFKA_DIR, 'state');
export const POM_FILE = join(REAL_KAFKA_DIR, 'pom.xml');
export const LOG4J2_FILE = join(REAL_KAFKA_DIR, 'log4j2.properties');
const POM_HASH_FILE = join(LIB_DIR, '.pom-hash');
const JAVA_MAJOR_MIN = 17;
/** A cold ~/.m2 downloads ~60 MB of jars; give Maven room on a slow line. */
const MAVEN_TIMEOUT_MS = 20 * 60_000;

export type Log = (line: string) => void;
const silent: Log = () => {};

/** Absolute path of `command` on PATH, or undefined. */
export function findExecutable(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** $JAVA_HOME/bin/java when set, else `java` from PATH. */
export function javaBin(): string | undefined {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return findExecutable('java');
}

function requireJava(): string {
  const java = javaBin();
  if (!java) throw new Error('java not found (JAVA_HOME unset and no java on PATH): install a JDK 17+');
  return java;
}

/** JVM arguments every Kafka process gets: the lib classpath and our WARN-only log4j2 config. */
export function javaBaseArgs(): string[] {
  return ['-cp', join(LIB_DIR, '*'), `-Dlog4j2.configurationFile=${LOG4J2_FILE}`, '-Djava.awt.headless=true'];
}

function run(
  file: string,
  args: string[],
  opts: { cwd?: string; timeoutMs: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr: err && code === 1 && !stderr ? err.message : stderr });
      },
    );
  });
}

async function javaMajorVersion(java: string): Promise<number | undefined> {
  const { stderr, stdout } = await run(java, ['-version'], { timeoutMs: 30_000 });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(stderr + stdout);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major; // "1.8.0_x" means Java 8
}

function pomHash(pom: string | Buffer): string {
  return createHash('sha256').update(pom).digest('hex');
}

async function libIsCurrent(): Promise<boolean> {
  try {
    const [pom, stored] = await Promise.all([readFile(POM_FILE), readFile(POM_HASH_FILE, 'utf8')]);
    return stored.trim() === pomHash(pom);
  } catch {
    return false;
  }
}

/**
 * Why the real Kafka cannot run on this machine (no/old Java; jars not resolved and no Maven), or
 * undefined when it can. Cheap: one `java -version`, no Maven run.
 */
export async function realKafkaUnavailableReason(): Promise<string | undefined> {
  const java = javaBin();
  if (!java) return 'java not found (no JAVA_HOME, no java on PATH); Apache Kafka 4 needs a JDK 17+';
  const major = await javaMajorVersion(java);
  if (major === undefined) return `could not read the version of ${java}`;
  if (major < JAVA_MAJOR_MIN) return `${java} is Java ${major}; Apache Kafka 4 needs Java ${JAVA_MAJOR_MIN}+`;
  if (!(await libIsCurrent()) && !findExecutable('mvn')) {
    return 'mvn not found on PATH and test/real-kafka/lib is missing or older than pom.xml';
  }
  return undefined;
}

/**
 * Make sure test/real-kafka/lib holds the jars pom.xml resolves to. Runs Maven only when lib/ is missing or
 * the pom changed since (its sha256 is kept in lib/.pom-hash). Maven writes into a staging dir that then
 * replaces lib/ in two renames, so jars of an older pom never linger and readers never see half a lib.
 * Returns the lib dir.
 */
export async function ensureKafkaLib({ log = silent }: { log?: Log } = {}): Promise<string> {
  if (await libIsCurrent()) return LIB_DIR;
  requireJava();
  const mvn = findExecutable('mvn');
  if (!mvn) {
    throw new Error(
      'mvn not found on PATH: Maven is needed to resolve Apache Kafka into test/real-kafka/lib (install maven and a JDK 17+)',
    );
  }
  await mkdir(STATE_DIR, { recursive: true });
  await withLock(
    join(STATE_DIR, 'lib.lock'),
    async () => {
      if (await libIsCurrent()) return; // another process resolved it while we waited
      const pom = await readFile(POM_FILE);
      const staging = join(STATE_DIR, `lib-staging-${process.pid}`);
      const old = join(STATE_DIR, `lib-old-${process.pid}`);
      await rm(staging, { recursive: true, force: true });
      log('resolving Apache Kafka jars with Maven into test/real-kafka/lib ...');
      const started = Date.now();
      const result = await run(
        mvn,
        [
          '-q',
          '-B',
          '-Dstyle.color=never',
          'dependency:copy-dependencies',
          `-DoutputDirectory=${staging}`,
          '-DincludeScope=runtime',
        ],
        { cwd: REAL_KAFKA_DIR, timeoutMs: MAVEN_TIMEOUT_MS },
      );
      if (result.code !== 0) {
        await rm(staging, { recursive: true, force: true });
        const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
        throw new Error(`mvn dependency:copy-dependencies failed (exit ${result.code}):\n${output}`);
      }
      await writeFile(join(staging, '.pom-hash'), `${pomHash(pom)}\n`);
      if (existsSync(LIB_DIR)) await rename(LIB_DIR, old);
      await rename(staging, LIB_DIR);
      await rm(old, { recursive: true, force: true });
      log(`resolved test/real-kafka/lib in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    { timeoutMs: MAVEN_TIMEOUT_MS + 60_000 },
  );
  return LIB_DIR;
}

export { requireJava, run as runFile };
