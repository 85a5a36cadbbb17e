// Which clusters the tests run against, and what global-setup.ts hands to the test workers.

export type ClusterTarget = 'real' | 'embedded';

/** The real Kafka shared by a test run (test/real-kafka/state/test.json). */
export const REAL_CLUSTER_NAME = 'test';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Targets selected by KT_TEST_TARGET, in run order. */
    ktTargets: ClusterTarget[];
    /** Why the real target is skipped on this machine, or null when it runs (or is not selected). */
    ktRealSkipReason: string | null;
    /** Why the embedded target is skipped, or null when it runs (or is not selected). */
    ktEmbeddedSkipReason: string | null;
    /** 'host:port' of the shared real Kafka when the real target runs, else null. */
    ktRealBootstrap: string | null;
  }
}

/** KT_TEST_TARGET=real|embedded|both (default real). Anything else is a usage error, not a silent default. */
export function parseTargets(value: string | undefined): ClusterTarget[] {
  switch ((value ?? '').trim().toLowerCase()) {
    case '':
    case 'real':
      return ['real'];
    case 'embedded':
      return ['embedded'];
    case 'both':
      return ['real', 'embedded'];
    default:
      throw new Error(`KT_TEST_TARGET=${JSON.stringify(value)}: expected real, embedded or both`);
  }
}
