/** The protocol client: one broker connection (connection.ts) and a small cluster router (cluster.ts). */
export * from './cluster.js';
export * from './connection.js';
export * from './errors.js';
export * from './handshake.js';
export * from './sasl.js';
