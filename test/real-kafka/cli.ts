// Command line for the real-Kafka harness (package.json: kafka:start, kafka:stop, kafka:tool).
//
//   npm run kafka:start [-- --name NAME]          start or reuse; prints bootstrap=127.0.0.1:PORT on stdout
//   npm run kafka:stop  [-- --name NAME | --all]  stop and remove data (default name: default)
//   npm run kafka:tool -- TOOL args...            e.g. TopicCommand --bootstrap-server 127.0.0.1:PORT --list
//   tsx test/real-kafka/cli.ts list               recorded clusters, one JSON object a line
//   tsx test/real-kafka/cli.ts bootstrap [--name NAME]   print the bootstrap of a running cluster
//   tsx test/real-kafka/cli.ts lib                resolve test/real-kafka/lib (Maven) if missing or stale
//
// Progress goes to stderr; stdout carries only the answer, so `$(... start)` style scripting works.

import {
  ensureKafkaLib,
  isKafkaRunning,
  listKafka,
  readKafkaState,
  spawnKafkaTool,
  startKafka,
  stopAllKafka,
  stopKafka,
} from './harness.js';

const log = (line: string): void => console.error(line);

function usage(message: string): never {
  console.error(
    `${message}\nusage: cli.ts start|stop|tool|list|bootstrap|lib (see the top of test/real-kafka/cli.ts)`,
  );
  process.exit(2);
}

function parseName(args: string[], { allowAll }: { allowAll: boolean }): { name: string; all: boolean } {
  let name = 'default';
  let all = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--name' || arg === '-n') {
      const value = args[++i];
      if (!value) usage(`${arg} needs a value`);
      name = value;
    } else if (arg?.startsWith('--name=')) {
      name = arg.slice('--name='.length);
    } else if (arg === '--all' && allowAll) {
      all = true;
    } else {
      usage(`unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  return { name, all };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { name } = parseName(rest, { allowAll: false });
      const instance = await startKafka({ name, log });
      log(`name=${instance.name} pid=${instance.pid} dataDir=${instance.dataDir} log=${instance.logFile}`);
      console.log(`bootstrap=${instance.bootstrap}`);
      return 0;
    }
    case 'stop': {
      const { name, all } = parseName(rest, { allowAll: true });
      if (all) {
        const stopped = await stopAllKafka({ log });
        if (stopped.length === 0) log('no Kafka clusters recorded');
      } else if (!(await stopKafka(name, { log }))) {
        log(`no Kafka cluster named ${name} recorded`);
      }
      return 0;
    }
    case 'tool': {
      const [tool, ...args] = rest;
      if (!tool) usage('tool needs a tool name, e.g. TopicCommand');
      await ensureKafkaLib({ log });
      // Inherited stdio: output streams as it comes and ConsoleProducer reads our stdin.
      const child = spawnKafkaTool(tool, args, { stdio: 'inherit' });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
      });
    }
    case 'list': {
      for (const instance of await listKafka()) {
        console.log(JSON.stringify({ ...instance, running: isKafkaRunning(instance) }));
      }
      return 0;
    }
    case 'bootstrap': {
      const { name } = parseName(rest, { allowAll: false });
      const instance = await readKafkaState(name);
      if (!instance || !isKafkaRunning(instance)) {
        log(`no running Kafka cluster named ${name} (start one: npm run kafka:start -- --name ${name})`);
        return 1;
      }
      console.log(instance.bootstrap);
      return 0;
    }
    case 'lib':
      console.log(await ensureKafkaLib({ log }));
      return 0;
    default:
      usage(command ? `unknown command ${JSON.stringify(command)}` : 'missing command');
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
