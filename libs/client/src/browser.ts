// The browser entry: fetch only, nothing from Node (a lint rule and a bundling test hold it so).
export * from './gantry-client.js';
export * from './gantry-errors.js';
export type * from './job-types.js';
export type * from './workflow-types.js';
export type { EventsOptions } from './job-event-stream.js';
