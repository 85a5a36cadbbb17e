export * from './record-batch.js';
export * from './varint.js';
