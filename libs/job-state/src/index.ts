export * from './job-columns.js';
export * from './job-event.js';
export { fromHashFields, stateFromHash, toHashFields } from './job-hash.js';
export * from './job-record.js';
export * from './job-state-store.js';
export * from './record-entry.js';
export * from './records-stream.js';
export * from './redis-keys.js';
export * from './to-job-object.js';
