// Connection security of the admin commands against a real Kafka with a SASL_PLAINTEXT listener (PLAIN,
// SCRAM-SHA-256/512): the --sasl-* flags, --command-config Java properties, and a wrong password failing
// with one clear line. Real Kafka only (the embedded broker has no SASL listener).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKt } from '../cli/run-kt.js';
import { realKafkaUnavailableReason } from '../real-kafka/harness.js';
import { type CaptureKafka, SASL_PASSWORD, SASL_USER, startCaptureKafka } from '../tools/capture-kafka.js';

describe('kt admin commands over SASL [real]', () => {
  let kafka: CaptureKafka | undefined;
  let skip: string | undefined;
  const env = { KT_CONFIG: '/nonexistent/kt-test-config.yaml' };

  beforeAll(async () => {
    skip =
      process.env.KT_TEST_TARGET === 'embedded' ? 'embedded target only' : await realKafkaUnavailableReason();
    if (skip && process.env.KT_REQUIRE_REAL_KAFKA === '1' && skip !== 'embedded target only') {
      throw new Error(`KT_REQUIRE_REAL_KAFKA=1: ${skip}`);
    }
    if (skip) console.log(`[kt-test] SASL tests skipped: ${skip}`);
    else kafka = await startCaptureKafka();
  }, 180_000);
  afterAll(async () => {
    await kafka?.stop();
  });

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    it(`lists topics and describes the cluster with --sasl-mechanism ${mechanism}`, async (ctx) => {
      if (skip) ctx.skip();
      const args = [
        '--bootstrap-server',
        `127.0.0.1:${kafka!.saslPort}`,
        '--sasl-mechanism',
        mechanism,
        '--sasl-username',
        SASL_USER,
      ];
      const r = await runKt(['cluster', 'info', ...args, '--output', 'json'], {
        env: { ...env, KT_SASL_PASSWORD: SASL_PASSWORD },
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { brokers: unknown[] }).brokers).toHaveLength(1);
    }, 120_000);
  }

  it('reads SASL settings from --command-config and rejects a wrong password', async (ctx) => {
    if (skip) ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'kt-sasl-'));
    const props = (password: string) =>
      [
        `bootstrap.servers=127.0.0.1:${kafka!.saslPort}`,
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=SCRAM-SHA-256',
        `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${SASL_USER}" password="${password}";`,
      ].join('\n');
    writeFileSync(join(dir, 'good.properties'), props(SASL_PASSWORD));
    writeFileSync(join(dir, 'bad.properties'), props('wrong'));
    const good = await runKt(
      ['topics', '--list', '--command-config', join(dir, 'good.properties'), '--output', 'json'],
      { env },
    );
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toHaveProperty('topics');
    const bad = await runKt(['topics', 'list', '--command-config', join(dir, 'bad.properties')], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: Cannot connect to Kafka at .*SASL authentication failed/);
    expect(bad.stdout).toBe('');
  }, 120_000);
});
