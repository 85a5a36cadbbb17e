/**
 * DescribeLogDirs: v1-4
 *
 * Behavior: one log directory (the broker's data dir, or "memory" for --in-memory) with each requested
 * partition's size in bytes (all segments) and offset lag 0 (no replicas to lag). topics null = all.
 * v4: total and usable bytes of the file system (-1 when unknown, e.g. in memory).
 */
import { statfsSync } from 'node:fs';
import { defineHandler } from '../handler.js';

export const describeLogDirsHandler = defineHandler({
  apiKey: 35,
  handle(request, { broker }) {
    const wanted = request.topics;
    const topics = [];
    for (const topic of broker.topics.list()) {
      const filter = wanted === null ? undefined : wanted.find((t) => t.topic === topic.name);
      if (wanted !== null && !filter) continue;
      const partitions = topic.partitions
        .filter((p) => !filter || filter.partitions.includes(p.index))
        .map((p) => ({
          partitionIndex: p.index,
          partitionSize: BigInt(p.log.sizeBytes),
          offsetLag: 0n,
          isFutureKey: false,
        }));
      topics.push({ name: topic.name, partitions });
    }
    let totalBytes = -1n;
    let usableBytes = -1n;
    const dataDir = broker.topics.dataDir;
    try {
      const stats = statfsSync(dataDir);
      totalBytes = BigInt(stats.blocks) * BigInt(stats.bsize);
      usableBytes = BigInt(stats.bavail) * BigInt(stats.bsize);
    } catch {
      // In memory (or a vanished dir): Kafka reports -1 for unknown sizes.
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [{ errorCode: 0, logDir: dataDir, topics, totalBytes, usableBytes }],
    };
  },
});
