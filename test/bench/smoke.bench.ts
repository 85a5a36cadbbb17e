// Smoke benchmark: proves the harness end to end against a real Apache Kafka. `kcat -L` stands in for kt
// (kt has no metadata command yet) and is compared with itself, so the ratio should be ≈1 within the noise of
// a 2-core machine (±30%); anything else means the harness is unfair to one side.
import { commandPeer, defineBench, skipBench, timeCommand, which } from './lib/index.js';
import { type BenchKafka, startBenchKafka } from './lib/kafka.js';

/** `kcat -L` calls per round: one call is ≈15 ms, too short to rise above scheduler noise on its own. */
const CALLS_PER_ROUND = 10;

/** Mean wall ms of one `kcat -L` over CALLS_PER_ROUND sequential calls. */
const metadata = (bootstrap: string) => async (): Promise<number> => {
  let totalMs = 0;
  for (let i = 0; i < CALLS_PER_ROUND; i++) {
    // -m 10: metadata timeout in s; stdout goes to /dev/null so terminal speed stays out of the figure.
    totalMs += await timeCommand('kcat', ['-L', '-b', bootstrap, '-m', '10'], { timeoutMs: 30_000 });
  }
  return totalMs / CALLS_PER_ROUND;
};

export default defineBench<BenchKafka>({
  description: `kcat -L against a real Apache Kafka (mean of ${CALLS_PER_ROUND} calls per round), kcat as kt stand-in vs kcat as peer`,
  rounds: 3,
  warmup: 1,
  async setup() {
    if (which('kcat') === null) skipBench('kcat not found on PATH');
    return startBenchKafka({ name: 'bench' });
  },
  teardown: (kafka) => kafka.stop(),
  comparisons: (kafka) => [
    {
      label: 'kcat -L, metadata of a 1-node Kafka',
      metrics: [{ name: 'metadata_wall_ms', unit: 'ms', better: 'lower' }],
      kt: { name: 'kcat -L (kt stand-in)', run: metadata(kafka.bootstrap) },
      peer: commandPeer('kcat -L', 'kcat', metadata(kafka.bootstrap)),
    },
  ],
});
