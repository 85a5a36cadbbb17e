// The embedded target: `startBroker({ port: 0 })` from src/broker/index.ts, one broker per test file.
//
// The broker is being written in parallel, so this file only assumes a minimal contract and checks it at
// run time:  startBroker({ port: 0 }) resolves to an object with either `bootstrap: 'host:port'` or
// `port: number` (host 127.0.0.1), and a `close()` or `stop()` method returning a promise.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BROKER_MODULE_URL = new URL('../../src/broker/index.ts', import.meta.url);

export interface EmbeddedBroker {
  bootstrap: string;
  close(): Promise<void>;
}

type StartBroker = (opts: { port: number }) => Promise<unknown>;

async function loadStartBroker(): Promise<StartBroker | string> {
  if (!existsSync(fileURLToPath(BROKER_MODULE_URL))) return 'src/broker/index.ts does not exist yet';
  // A variable specifier keeps tsc from resolving a module that may not exist; an import that throws is a
  // real failure of the broker code and is allowed to propagate.
  const specifier = BROKER_MODULE_URL.href;
  const mod = (await import(specifier)) as Record<string, unknown>;
  if (typeof mod.startBroker !== 'function') return 'src/broker/index.ts does not export startBroker yet';
  return mod.startBroker as StartBroker;
}

/** Why the embedded target cannot run (one line), or null when it can. */
export async function embeddedUnavailableReason(): Promise<string | null> {
  const loaded = await loadStartBroker();
  return typeof loaded === 'string' ? loaded : null;
}

export async function startEmbeddedBroker(): Promise<EmbeddedBroker> {
  const startBroker = await loadStartBroker();
  if (typeof startBroker === 'string') throw new Error(`embedded target unavailable: ${startBroker}`);
  const broker = (await startBroker({ port: 0 })) as Record<string, unknown>;
  let bootstrap: string;
  if (typeof broker.bootstrap === 'string') bootstrap = broker.bootstrap;
  else if (typeof broker.port === 'number') bootstrap = `127.0.0.1:${broker.port}`;
  else throw new Error('startBroker() returned neither `bootstrap` nor `port`');
  const stop = typeof broker.close === 'function' ? broker.close : broker.stop;
  if (typeof stop !== 'function') throw new Error('startBroker() returned no close() or stop()');
  return { bootstrap, close: async () => void (await stop.call(broker)) };
}
