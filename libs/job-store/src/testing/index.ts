export { createTestSchema, testDatabaseUrl, type TestSchema } from './create-test-schema.js';
