// Smoke benchmark: proves the harness end to end against a real Apache Kafka. `kcat -L` stands in for kt
// (kt has no metadata command yet) and is compared with itself, so the ratio should be ≈1 within the noise of
// a 2-core machine (±30%); anything else means the harness is unfair to one side.
import { commandPeer, defineBench, skipBench, timeCommand, which } from './lib/index.js';
import { type BenchKafka, startBenchKafka } from './lib/kafka.js';

const metadata = (bootstrap: string) => () =>
  // -m 10: metadata timeout in s; stdout goes to /dev/null so terminal speed stays out of the figure.
  timeCommand('kcat', ['-L', '-b', bootstrap, '-m', '10'], { timeoutMs: 30_000 });

export default defineBench<BenchKafka>({
  description: 'kcat -L against a real Apache Kafka, kcat as kt stand-in vs kcat as peer',
  rounds: 3,
  warmup: 1,
  async setup() {
    if (which('kcat') === null) skipBench('kcat not found on PATH');
    return startBenchKafka({ name: 'bench' });
  },
  teardown: (kafka) => kafka.stop(),
  comparisons: (kafka) => [
    {
      label: `kcat -L (${kafka.via} Kafka)`,
      metrics: [{ name: 'metadata_wall_ms', unit: 'ms', better: 'lower' }],
      kt: { name: 'kcat -L (kt stand-in)', run: metadata(kafka.bootstrap) },
      peer: commandPeer('kcat -L', 'kcat', metadata(kafka.bootstrap)),
    },
  ],
});
