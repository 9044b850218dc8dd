export {
  apiKeyScopes,
  createApiKeyRepository,
  type ApiKeyIdentity,
  type ApiKeyInfo,
  type ApiKeyLimits,
  type ApiKeyRepository,
  type ApiKeyRepositoryOptions,
  type ApiKeyScope,
} from './api-key-repository.js';
export {
  createBatchRepository,
  type BatchItemResult,
  type BatchRepository,
  type BatchRow,
} from './batch-repository.js';
export { createPool, type PoolOptions } from './create-pool.js';
export { findBlobsInUse } from './find-blobs-in-use.js';
export { findNotifiedJobs } from './find-notified-jobs.js';
export { findOverdueJobs } from './find-overdue-jobs.js';
export { isDatabaseUnavailable, toDatabaseError } from './database-error.js';
export {
  createJobRepository,
  type JobListQuery,
  type JobPage,
  type JobRepository,
} from './job-repository.js';
export type { JobEvent, JobRow } from './job-row.js';
export { migrate, type MigrateResult } from './migrate.js';
export {
  pruneJobRecords,
  type PrunedRecords,
  type PruneJobRecordsOptions,
  type PruneStatement,
} from './prune-job-records.js';
export {
  createRecorder,
  type Recorder,
  type RecorderBacklog,
  type RecorderBatch,
  type RecorderOptions,
  type RecorderStats,
} from './recorder.js';
export {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
} from './start-embedded-postgres.js';
export { silentLogger, type StoreLogger } from './store-logger.js';
