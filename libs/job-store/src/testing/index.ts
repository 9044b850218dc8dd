export { createTestSchema, testDatabaseUrl, type TestSchema } from './create-test-schema.js';
export { deletePrefix } from './write-job-state.js';
