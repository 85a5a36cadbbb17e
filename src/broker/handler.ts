/**
 * The shape of a request handler: one file per API key in handlers/ (kfake style), each exporting an
 * `ApiHandler` that turns a decoded request into a response value. The broker does framing, headers,
 * version checks and encoding; a handler only implements the API's behaviour.
 *
 * A handler returns `null` for "no response" (Produce with acks=0). Per-item failures are answered with
 * Kafka error codes inside the response; a thrown error closes the connection (Kafka does the same for
 * requests it cannot process), after one log line.
 */

import type { RequestHeader } from '../protocol/schema/headers.js';
import type { ApiKey, RequestOf, ResponseOf } from '../protocol/schema/registry.js';
import type { BrokerCore } from './core.js';
import type { ConnectionInfo } from './server.js';

export interface RequestContext {
  readonly broker: BrokerCore;
  readonly header: RequestHeader;
  /** The request's API version (also header.apiVersion), what the response is encoded at. */
  readonly version: number;
  readonly connection: ConnectionInfo;
}

export interface ApiHandler<K extends ApiKey = ApiKey> {
  readonly apiKey: K;
  handle(
    request: RequestOf<K>,
    context: RequestContext,
  ): Promise<ResponseOf<K> | null> | ResponseOf<K> | null;
}

/** Helper so each handler file gets its request/response types inferred from the key. */
export function defineHandler<K extends ApiKey>(handler: ApiHandler<K>): ApiHandler<K> {
  return handler;
}
