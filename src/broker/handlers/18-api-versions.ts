/**
 * ApiVersions: v0-4
 *
 * Behavior:
 * - Lists every API the broker serves with the versions it serves (derived from the protocol schemas'
 *   `broker` ranges, intersected with the handlers that exist).
 * - An unknown ApiVersions version is answered by the broker core with a v0 body, UNSUPPORTED_VERSION and
 *   the full list (KIP-511), so clients can downgrade; this handler only sees versions it can decode.
 * - Produce is advertised from v0 (protocol.md §5 item 3: old librdkafka disables compression otherwise).
 */
import { defineHandler } from '../handler.js';

export const apiVersionsHandler = defineHandler({
  apiKey: 18,
  handle(_request, { broker }) {
    return {
      errorCode: 0,
      apiKeys: broker.apiVersions.map((v) => ({
        apiKey: v.apiKey,
        minVersion: v.minVersion,
        maxVersion: v.maxVersion,
      })),
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    };
  },
});
