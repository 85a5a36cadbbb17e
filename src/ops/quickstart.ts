/**
 * `kt quickstart`: a first session with kt on a fresh machine. Starts a background embedded broker when
 * none runs (or uses the one that does), then runs real kt commands against it — create a topic, produce
 * sample records, consume them back, describe the topic — printing each command line before its output,
 * so the user sees exactly what to type next time. Nothing here is simulated: every step is a `kt`
 * process, the same binary the user has.
 */
import { spawn } from 'node:child_process';
import { brokerStatus, defaultDataDir, portAnswers, startDetached } from '../broker/daemon.js';
import { ktBinPath } from '../cli/paths.js';
import { KtError } from '../errors/kt-error.js';

export const QUICKSTART_TOPIC = 'kt-quickstart';

export const SAMPLE_RECORDS = [
  'alice:signed up',
  'carol:signed up',
  'dave:signed up',
  'alice:added a book to the cart',
  'carol:paid order 1001',
  'dave:paid order 1002',
];

export interface QuickstartStep {
  title: string;
  args: string[];
  input?: string;
}

export interface QuickstartOptions {
  dataDir?: string;
  /** Preferred port for a new broker; a free one is picked when it is taken. */
  port?: number;
  /** Where step titles, command lines and outputs go. */
  write: (text: string) => void;
}

export interface QuickstartResult {
  bootstrap: string;
  startedBroker: boolean;
  dataDir: string;
  topic: string;
  steps: Array<{ command: string; exitCode: number }>;
}

export function quickstartSteps(bootstrap: string): QuickstartStep[] {
  const b = ['--bootstrap-server', bootstrap];
  return [
    {
      title: 'Create a topic with 3 partitions',
      args: ['topics', 'create', QUICKSTART_TOPIC, '--partitions', '3', '--if-not-exists', ...b],
    },
    {
      title: 'Produce 6 keyed records (KEY:VALUE per line; same key, same partition)',
      args: ['produce', QUICKSTART_TOPIC, '--key-separator', ':', ...b],
      input: `${SAMPLE_RECORDS.join('\n')}\n`,
    },
    {
      title: 'Consume them back from the beginning, then exit',
      args: [
        'consume',
        QUICKSTART_TOPIC,
        '--from-beginning',
        '--exit',
        '--format',
        'partition %p offset %o  %k = %v\\n',
        ...b,
      ],
    },
    {
      title: 'Describe the topic: leaders, replicas, ISR and offsets',
      args: ['topics', 'describe', QUICKSTART_TOPIC, ...b],
    },
  ];
}

export const NEXT_STEPS = `Next, try:
  kt topics list
  kt consume ${QUICKSTART_TOPIC} --from-beginning --output jsonl
  echo 'erin:signed up' | kt produce ${QUICKSTART_TOPIC} --key-separator :
  kt groups list
  kt broker status            # the background broker; stop it with: kt broker stop
Every command takes --output json|yaml and --bootstrap-server HOST:PORT (or a profile: kt profiles --help).`;

export async function runQuickstart(options: QuickstartOptions): Promise<QuickstartResult> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const write = options.write;
  const status = await brokerStatus(dataDir);
  let bootstrap: string;
  let startedBroker = false;
  if (status.running && status.pidFile) {
    bootstrap = `${status.pidFile.host}:${status.pidFile.port}`;
    write(`Using the kt broker already running on ${bootstrap} (pid ${status.pidFile.pid}).\n`);
  } else {
    const preferred = options.port ?? 9092;
    const port = (await portAnswers('127.0.0.1', preferred, 300)) ? 0 : preferred;
    const pid = await startDetached({
      host: '127.0.0.1',
      port,
      dataDir,
      inMemory: false,
      config: ['num.partitions=3'],
    });
    bootstrap = `${pid.host}:${pid.port}`;
    startedBroker = true;
    write(`Started a kt broker in the background on ${bootstrap} (pid ${pid.pid}, data ${dataDir}).\n`);
  }
  const steps: QuickstartResult['steps'] = [];
  for (const step of quickstartSteps(bootstrap)) {
    const shown = `kt ${step.args.map(shellQuote).join(' ')}${step.input !== undefined ? ' < sample.txt' : ''}`;
    write(`\n# ${step.title}\n$ ${shown}\n`);
    const exitCode = await runKtStep(step, write);
    steps.push({ command: shown, exitCode });
    if (exitCode !== 0) {
      throw new KtError('KT_IO', `Quickstart step failed (exit ${exitCode}): ${shown}`, {
        hint: `The broker's log is in ${dataDir}/broker.log`,
      });
    }
  }
  write(`\n${NEXT_STEPS}\n`);
  return { bootstrap, startedBroker, dataDir, topic: QUICKSTART_TOPIC, steps };
}

function runKtStep(step: QuickstartStep, write: (text: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ktBinPath(), ...step.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => write(d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => write(d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
    child.stdin.end(step.input ?? '');
  });
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
