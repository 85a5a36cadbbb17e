// Apache Kafka's Java tools (TopicCommand, ConsoleConsumer, MirrorMaker, ...) run from test/real-kafka/lib.
// Short names come from tools.map, which the `tool` shell wrapper reads too.

import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKafkaLib, javaBaseArgs, REAL_KAFKA_DIR, requireJava } from './lib.js';

/** Tools are short-lived clients; a small heap keeps several of them next to two brokers on 2 cores. */
const TOOL_JVM_OPTS_DEFAULT = ['-Xms64m', '-Xmx512m'];
const OUTPUT_BYTES_MAX = 64 * 1024 * 1024;

let toolMap: ReadonlyMap<string, string> | undefined;

/** Short name -> main class, from tools.map. */
export function kafkaToolClasses(): ReadonlyMap<string, string> {
  if (!toolMap) {
    const map = new Map<string, string>();
    for (const raw of readFileSync(join(REAL_KAFKA_DIR, 'tools.map'), 'utf8').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const [name, cls] = line.split(/\s+/);
      if (name && cls) map.set(name, cls);
    }
    toolMap = map;
  }
  return toolMap;
}

/** Main class for a short tool name or a fully qualified class name (anything containing a dot). */
export function kafkaToolClass(tool: string): string {
  const cls = kafkaToolClasses().get(tool);
  if (cls) return cls;
  if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(tool)) return tool;
  throw new Error(
    `unknown Kafka tool ${JSON.stringify(tool)}: use one of ${[...kafkaToolClasses().keys()].join(', ')} or a fully qualified class name`,
  );
}

export interface KafkaToolOptions {
  /** Written to the tool's stdin, which is then closed (stdin is closed at once without it). */
  input?: string | Buffer;
  /** The tool is SIGKILLed and runKafkaTool rejects after this long. Default 60 s. */
  timeoutMs?: number;
  /** JVM options replacing the default small heap (e.g. ['-Xmx2g'] for a benchmark). */
  jvmOpts?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface KafkaToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

function toolArgv(tool: string, args: readonly string[], jvmOpts: readonly string[] | undefined): string[] {
  return [...(jvmOpts ?? TOOL_JVM_OPTS_DEFAULT), ...javaBaseArgs(), kafkaToolClass(tool), ...args];
}

/**
 * Run a Kafka tool to completion. Resolves with its exit code and output whatever the code (a tool that
 * fails is a result the caller may assert on); rejects when it cannot start or exceeds `timeoutMs`.
 */
export async function runKafkaTool(
  tool: string,
  args: readonly string[],
  { input, timeoutMs = 60_000, jvmOpts, cwd, env }: KafkaToolOptions = {},
): Promise<KafkaToolResult> {
  await ensureKafkaLib();
  const argv = toolArgv(tool, args, jvmOpts);
  const java = requireJava();
  return new Promise((resolve, reject) => {
    const child = spawn(java, argv, { cwd: cwd ?? process.cwd(), env: env ?? process.env, stdio: 'pipe' });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes <= OUTPUT_BYTES_MAX) into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      const tail = Buffer.concat(stderr).toString('utf8').split('\n').slice(-20).join('\n');
      reject(new Error(`Kafka tool ${tool} timed out after ${timeoutMs} ms; stderr tail:\n${tail}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    // A tool that exits before reading its input closes the pipe; that is its business, not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/**
 * Start a long-running Kafka tool (MirrorMaker, a ConsoleConsumer that follows a topic) and hand back the
 * child process; the caller owns it and must kill it. stdio is piped unless `stdio` says otherwise.
 * Synchronous, so it does not resolve the jars: call `await ensureKafkaLib()` once before.
 */
export function spawnKafkaTool(
  tool: string,
  args: readonly string[],
  {
    jvmOpts,
    cwd,
    env,
    stdio = 'pipe',
  }: Omit<KafkaToolOptions, 'input' | 'timeoutMs'> & { stdio?: StdioOptions } = {},
): ChildProcess {
  return spawn(requireJava(), toolArgv(tool, args, jvmOpts), {
    cwd: cwd ?? process.cwd(),
    env: env ?? process.env,
    stdio,
  });
}
