/** kt's library entry point: the shared core used by the CLI, the broker, the mirror and tests. */
export * from './protocol/batch-header.js';
export * from './protocol/crc32c.js';
export * from './protocol/decode-error.js';
