/**
 * Differential test against Apache Kafka itself: the message classes of the resolved kafka-clients jar
 * (the same 4.1.1 the real-Kafka tests run). For every API and every version both sides speak —
 * flexible ones included — random values from our schema are encoded by us, read by Kafka's generated
 * ApiMessage classes, which must consume exactly our bytes, and written back by Kafka, which must give
 * our bytes back. One JVM runs a small oracle in source-file mode (no build step); the test is skipped
 * when java or the jar is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_APIS } from '../../src/protocol/apis/index.js';
import { messageCodec } from '../../src/protocol/schema/registry.js';
import { Writer } from '../../src/protocol/writer.js';
import { structArbitrary } from './schema-arbitrary.js';

const VALUES_PER_MESSAGE = 4;
const LIB = fileURLToPath(new URL('../real-kafka/lib', import.meta.url));
const JAR = existsSync(LIB) ? readdirSync(LIB).find((f) => /^kafka-clients-[\d.]+\.jar$/.test(f)) : undefined;
const HAVE_JAVA = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Versions we speak that Kafka's jar no longer does (schema-kafka.test.ts lists why). */
const NOT_IN_KAFKA: Record<string, number[]> = { Produce: [0, 1, 2] };

const ORACLE = `import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.util.HexFormat;

public class KtOracle {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    HexFormat hex = HexFormat.of();
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      String[] p = line.split(" ");
      short key = Short.parseShort(p[0]);
      short version = Short.parseShort(p[1]);
      boolean request = p[2].equals("request");
      byte[] data = p.length > 3 ? hex.parseHex(p[3]) : new byte[0];
      try {
        ApiMessageType type = ApiMessageType.fromApiKey(key);
        ApiMessage message = request ? type.newRequest() : type.newResponse();
        ByteBuffer buf = ByteBuffer.wrap(data);
        message.read(new ByteBufferAccessor(buf), version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer encoded = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(encoded), cache, version);
        out.append("ok ").append(buf.position()).append(' ').append(hex.formatHex(encoded.array())).append('\\n');
      } catch (Throwable e) {
        out.append("error ").append(e.toString().replace('\\n', ' ')).append('\\n');
      }
    }
    System.out.print(out);
  }
}
`;

describe.skipIf(JAR === undefined || !HAVE_JAVA)(
  `wire compatibility with Apache Kafka's message classes (${JAR})`,
  () => {
    it('Kafka reads every version of every API exactly and writes back the same bytes', () => {
      const cases: { what: string; line: string; hex: string }[] = [];
      for (const api of ALL_APIS) {
        for (let version = api.validVersions[0]; version <= api.validVersions[1]; version++) {
          if (NOT_IN_KAFKA[api.name]?.includes(version)) continue;
          const flexible = api.flexibleVersions !== null && version >= api.flexibleVersions;
          for (const dir of ['request', 'response'] as const) {
            const values = fc.sample(structArbitrary(api[dir].fields, version, flexible), {
              numRuns: VALUES_PER_MESSAGE,
              seed: api.apiKey * 1000 + version,
            });
            for (const value of values) {
              const w = new Writer();
              messageCodec(api.apiKey, version, dir).write(w, value);
              const hex = Buffer.from(w.finish()).toString('hex');
              cases.push({
                what: `${api.name} v${version} ${dir}`,
                line: `${api.apiKey} ${version} ${dir} ${hex}`,
                hex,
              });
            }
          }
        }
      }
      const dir = mkdtempSync(join(tmpdir(), 'kt-oracle-'));
      let output: string;
      try {
        writeFileSync(join(dir, 'KtOracle.java'), ORACLE);
        output = execFileSync('java', ['-cp', join(LIB, JAR!), join(dir, 'KtOracle.java')], {
          input: cases.map((c) => c.line).join('\n'),
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(cases.length);
      const failures: string[] = [];
      lines.forEach((line, i) => {
        const c = cases[i]!;
        const [status, consumed, hex] = line.split(' ');
        if (status !== 'ok') failures.push(`${c.what}: Kafka failed: ${line}`);
        else if (Number(consumed) !== c.hex.length / 2)
          failures.push(`${c.what}: consumed ${consumed} of ${c.hex.length / 2}`);
        else if ((hex ?? '') !== c.hex) failures.push(`${c.what}: Kafka re-encoded ${hex} for ${c.hex}`);
      });
      expect(failures).toEqual([]);
      expect(new Set(cases.map((c) => c.what)).size).toBeGreaterThan(390);
    });
  },
);
