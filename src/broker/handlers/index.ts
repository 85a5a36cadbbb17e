/**
 * Every request handler, by API key. An API is advertised in ApiVersions only when it has a handler here
 * (and a `broker` range in its protocol schema), so the broker never promises what it cannot answer.
 */
import type { ApiHandler } from '../handler.js';
import { metadataHandler } from './03-metadata.js';
import { apiVersionsHandler } from './18-api-versions.js';

export const HANDLERS: readonly ApiHandler[] = [
  metadataHandler,
  apiVersionsHandler,
] as unknown as ApiHandler[];
