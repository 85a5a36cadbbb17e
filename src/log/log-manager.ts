/**
 * LogManager: one Kafka-style log directory holding many partition logs (`<topic>-<partition>/`) and the
 * per-directory checkpoint files (Kafka's LogManager / ReplicaManager):
 *   recovery-point-offset-checkpoint, log-start-offset-checkpoint, replication-offset-checkpoint (high
 *   watermarks), cleaner-offset-checkpoint, and the clean-shutdown marker `.kafka_cleanshutdown`.
 *
 * Start: the marker present means the last stop was clean, so logs open without rescanning; it is then
 * removed (and the removal fsynced) so a crash during this run is seen as unclean next time. Without it,
 * each log rescans from its checkpointed recovery point. `checkpoint()` (call it periodically, Kafka's
 * log.flush.offset.checkpoint.interval.ms) rewrites the checkpoints atomically; `close()` closes every
 * log, checkpoints, and writes the marker last.
 *
 * Thread-safety: none; one owner thread, like Log.
 */

import type { TopicPartitionOffset } from './checkpoint.js';
import {
  CLEAN_SHUTDOWN_MARKER,
  CLEANER_OFFSET_CHECKPOINT,
  LOG_START_OFFSET_CHECKPOINT,
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_OFFSET_CHECKPOINT,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from './checkpoint.js';
import { compactLog } from './compaction.js';
import type { LogConfig } from './config.js';
import type { LogFs } from './fs.js';
import { fsyncDirectory, nodeFs, writeFileAtomic } from './fs.js';
import { Log } from './log.js';
import { applyRetention } from './retention.js';

export interface LogManagerOptions {
  logDir: string;
  fs?: LogFs;
  /** Config of each topic's logs (default: Kafka's defaults). */
  configFor?: (topic: string) => Partial<LogConfig>;
  nowMs?: () => number;
}

const PARTITION_DIR = /^(.+)-(\d+)$/;

export class LogManager {
  readonly logDir: string;
  readonly hadCleanShutdown: boolean;
  private readonly fs: LogFs;
  private readonly logs = new Map<string, Log>();
  private readonly options: LogManagerOptions;
  private readonly saved: Map<string, TopicPartitionOffset>[];
  private backgroundTimer: NodeJS.Timeout | undefined;
  private backgroundRunning = false;

  private constructor(options: LogManagerOptions) {
    this.options = options;
    this.logDir = options.logDir;
    this.fs = options.fs ?? nodeFs;
    this.fs.mkdirp(this.logDir);
    const marker = `${this.logDir}/${CLEAN_SHUTDOWN_MARKER}`;
    this.hadCleanShutdown = this.fs.exists(marker);
    this.saved = [
      RECOVERY_POINT_CHECKPOINT,
      LOG_START_OFFSET_CHECKPOINT,
      REPLICATION_OFFSET_CHECKPOINT,
      CLEANER_OFFSET_CHECKPOINT,
    ].map(
      (name) =>
        new Map(
          readOffsetCheckpoint(this.fs, this.logDir, name).map((e) => [`${e.topic}-${e.partition}`, e]),
        ),
    );
  }

  /** Opens the directory and every partition log in it (recovering them when the last stop was unclean). */
  static open(options: LogManagerOptions): LogManager {
    const manager = new LogManager(options);
    for (const name of manager.fs.readdir(manager.logDir)) {
      const match = PARTITION_DIR.exec(name);
      if (match === null || name.endsWith('-delete')) continue;
      manager.openLog(match[1]!, Number(match[2]));
    }
    if (manager.hadCleanShutdown) {
      manager.fs.unlink(`${manager.logDir}/${CLEAN_SHUTDOWN_MARKER}`);
      fsyncDirectory(manager.fs, manager.logDir);
    }
    return manager;
  }

  get all(): ReadonlyMap<string, Log> {
    return this.logs;
  }

  getLog(topic: string, partition: number): Log | undefined {
    return this.logs.get(`${topic}-${partition}`);
  }

  getOrCreateLog(topic: string, partition: number): Log {
    return this.getLog(topic, partition) ?? this.openLog(topic, partition);
  }

  private openLog(topic: string, partition: number): Log {
    const name = `${topic}-${partition}`;
    const [recovery, start, hw, cleaner] = this.saved.map((m) => m.get(name)?.offset);
    const log = Log.open({
      dir: `${this.logDir}/${name}`,
      fs: this.fs,
      config: this.options.configFor?.(topic) ?? {},
      cleanShutdown: this.hadCleanShutdown,
      ...(recovery === undefined ? {} : { recoveryPoint: recovery }),
      ...(start === undefined ? {} : { logStartOffset: start }),
      ...(hw === undefined ? {} : { highWatermark: hw }),
      ...(this.options.nowMs === undefined ? {} : { nowMs: this.options.nowMs }),
    });
    if (cleaner !== undefined) log.cleanerCheckpoint = cleaner;
    this.logs.set(name, log);
    return log;
  }

  /** Rewrites the four offset checkpoints atomically from the logs' current state. */
  checkpoint(): void {
    const entries = (pick: (log: Log) => bigint): TopicPartitionOffset[] =>
      [...this.logs].map(([name, log]) => {
        const match = PARTITION_DIR.exec(name)!;
        return { topic: match[1]!, partition: Number(match[2]), offset: pick(log) };
      });
    writeOffsetCheckpoint(
      this.fs,
      this.logDir,
      RECOVERY_POINT_CHECKPOINT,
      entries((l) => l.recoveryPoint),
    );
    writeOffsetCheckpoint(
      this.fs,
      this.logDir,
      LOG_START_OFFSET_CHECKPOINT,
      entries((l) => l.logStartOffset),
    );
    writeOffsetCheckpoint(
      this.fs,
      this.logDir,
      REPLICATION_OFFSET_CHECKPOINT,
      entries((l) => l.highWatermark),
    );
    writeOffsetCheckpoint(
      this.fs,
      this.logDir,
      CLEANER_OFFSET_CHECKPOINT,
      entries((l) => l.cleanerCheckpoint),
    );
  }

  /**
   * One background pass over every log: retention (segments below the log start offset always; time and
   * size limits under cleanup.policy delete), then compaction under compact. Compaction yields to the
   * event loop between slices, so appends and reads keep running; passes never overlap.
   */
  async runBackgroundPass(nowMs?: number): Promise<void> {
    if (this.backgroundRunning) return;
    this.backgroundRunning = true;
    try {
      for (const log of [...this.logs.values()]) {
        if (log.isClosed) continue;
        applyRetention(log, nowMs ?? log.nowMs());
        if (log.config.cleanupPolicy.includes('compact')) {
          await compactLog(log, nowMs === undefined ? {} : { nowMs });
        }
      }
    } finally {
      this.backgroundRunning = false;
    }
  }

  /** Runs runBackgroundPass every `intervalMs` (Kafka's log.retention.check.interval.ms, 5 min). */
  startBackgroundWork(intervalMs: number, onError: (error: unknown) => void): void {
    this.backgroundTimer ??= setInterval(() => {
      this.runBackgroundPass().catch(onError);
    }, intervalMs);
    this.backgroundTimer.unref();
  }

  /** Clean shutdown: close (flush) every log, checkpoint, then write the clean-shutdown marker. */
  close(): void {
    if (this.backgroundTimer !== undefined) clearInterval(this.backgroundTimer);
    for (const log of this.logs.values()) log.close();
    this.checkpoint();
    writeFileAtomic(this.fs, this.logDir, CLEAN_SHUTDOWN_MARKER, new Uint8Array(0));
  }
}
