import type { BlobStore } from '@gantry/blob-store';
import { GantryError } from '@gantry/contracts';
import type { ControlClient } from '@gantry/control-plane';
import type { ApiKeyRepository, JobRepository } from '@gantry/job-store';
import type { Logger, Registry } from '@gantry/observability';
import type { JobProducer } from '@gantry/queue-runtime';
import type { Redis } from 'ioredis';
import express, { type Express } from 'express';
import type pg from 'pg';
import type { JobCatalogue } from './catalogue/job-catalogue.js';
import { authenticate } from './http/authenticate.js';
import { limitRate, type RateLimitDefaults } from './http/limit-rate.js';
import { traceId } from './http/trace-id.js';
import { traceRequest } from './http/trace-request.js';
import { errorHandler } from './http/error-handler.js';
import { refuseNulPath } from './http/refuse-nul-path.js';
import { requestMetrics } from './http/request-metrics.js';
import type { JobEventsHub } from './jobs/job-events-hub.js';
import { JobReader } from './jobs/job-reader.js';
import { QueueAvailability } from './jobs/queue-availability.js';
import type { ApiKeyChanges } from './keys/api-key-changes.js';
import type { AuthGuard } from './limits/auth-guard.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import type { TenantHolds } from './limits/tenant-holds.js';
import type { UploadQuota } from './limits/upload-quota.js';
import type { NotificationLog } from './notifications/notification-log.js';
import type { NotificationQueue } from './notifications/notification-queue.js';
import type { WebhookAddressPolicy } from './notifications/webhook-address-policy.js';
import type { WebhookSecrets } from './notifications/webhook-secrets.js';
import type { ScheduleStore } from './schedules/schedule-store.js';
import type { Scheduler } from './schedules/scheduler.js';
import { blobRoutes } from './routes/blob-routes.js';
import { consoleRoutes } from './routes/console-routes.js';
import { catalogueRoutes } from './routes/catalogue-routes.js';
import type { RequestDrain } from './http/request-drain.js';
import { createJobRoute } from './routes/create-job-route.js';
import { healthRoutes } from './routes/health-routes.js';
import { jobEventsRoute } from './routes/job-events-route.js';
import { keyRoutes } from './routes/key-routes.js';
import { metricsRoute } from './routes/metrics-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { pipelineRoutes } from './routes/pipeline-routes.js';
import type { PipelineRuns } from './pipelines/pipeline-runs.js';
import type { Batches } from './batches/batches.js';
import { batchRoutes } from './routes/batch-routes.js';
import { queueBoardRoutes } from './routes/queue-board-routes.js';
import { readJobRoutes } from './routes/read-job-routes.js';
import { scheduleRoutes } from './routes/schedule-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import type { AskModelRegistry } from './models/ask-model-registry.js';
import { checkModelFeatures } from './models/check-model-features.js';
import type { ModelFeaturesCache } from './models/model-features-cache.js';
import { workerRoutes } from './routes/worker-routes.js';

export interface ServerDeps {
  version: string;
  logger: Logger;
  metrics: Registry;
  redis: Redis;
  pool: pg.Pool;
  producer: JobProducer;
  repository: JobRepository;
  keys: ApiKeyRepository;
  blobs: BlobStore;
  control: ControlClient;
  /** The model registry, through live predictive workers (ADR 0011), and the feature schemas it answered. */
  models: { ask: AskModelRegistry; features: ModelFeaturesCache };
  catalogue: JobCatalogue;
  hub: JobEventsHub;
  refreshCatalogue: () => Promise<void>;
  /** Pipeline runs and batches: started and read here, moved on by the flow workers of start-gateway. */
  workflows: { runs: PipelineRuns; batches: Batches };
  limits: { jsonBytes: number; fileBytes: number; maxWaitSeconds: number };
  /** Counts requests in flight, and ends long waits when the gateway stops. */
  drain: RequestDrain;
  /** Webhooks and e-mail reports: submission checks, signing secrets, the delivery log. */
  notify: {
    policy: WebhookAddressPolicy;
    secrets: WebhookSecrets;
    log: NotificationLog;
    queue: NotificationQueue;
    emailEnabled: boolean;
    secretGraceSeconds: number;
  };
  schedules: { store: ScheduleStore; scheduler: Scheduler };
  /** What keeps one tenant from crowding out the others. */
  tenancy: {
    rateLimiter: RateLimiter;
    rateDefaults: RateLimitDefaults;
    authGuard: AuthGuard;
    holds: TenantHolds;
    uploads: UploadQuota;
    keyChanges: ApiKeyChanges;
  };
}

/** The HTTP API, from its dependencies: no I/O happens here until a request arrives. */
export function createServer(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(deps.drain.middleware);
  app.use(traceId);
  app.use(traceRequest);
  app.use(requestMetrics(deps.metrics));

  const reader = new JobReader(deps.producer.store, deps.repository, new QueueAvailability(deps.control));
  // Routes go straight onto the app: every router or middleware a request passes through costs
  // allocations on the hot path, so the busiest routes also come first.
  const { tenancy } = deps;
  app.use(authenticate(deps.keys, tenancy.authGuard));
  app.use(limitRate(tenancy.rateLimiter, tenancy.rateDefaults, deps.logger));
  app.use(refuseNulPath);
  const checkInput = checkModelFeatures(deps.models.features);
  createJobRoute(app, {
    ...deps,
    reader,
    holds: tenancy.holds,
    uploads: tenancy.uploads,
    checkInput,
    stopping: deps.drain.signal,
  });
  readJobRoutes(app, { reader, repository: deps.repository, producer: deps.producer });
  notificationRoutes(app, { reader, ...deps.notify });
  scheduleRoutes(app, {
    ...deps.schedules,
    catalogue: deps.catalogue,
    refreshCatalogue: deps.refreshCatalogue,
    notify: deps.notify,
    blobs: deps.blobs,
    checkInput,
    jsonBytes: deps.limits.jsonBytes,
  });
  jobEventsRoute(app, {
    reader,
    store: deps.producer.store,
    hub: deps.hub,
    holds: tenancy.holds,
    stopping: deps.drain.signal,
  });
  const entryFor = (type: string) => deps.catalogue.resolve(type, deps.refreshCatalogue);
  const { runs, batches } = deps.workflows;
  pipelineRoutes(app, {
    runs,
    blobs: deps.blobs,
    uploads: tenancy.uploads,
    entryFor,
    limits: deps.limits,
    notify: deps.notify,
  });
  batchRoutes(app, { batches, entryFor, limits: deps.limits, notify: deps.notify });
  catalogueRoutes(app, deps.catalogue, deps.refreshCatalogue);
  workerRoutes(app, deps.control, deps.producer);
  modelRoutes(app, { ...deps.models, logger: deps.logger, jsonBytes: deps.limits.jsonBytes });
  blobRoutes(app, deps.blobs, deps.limits.fileBytes, tenancy.uploads);
  keyRoutes(app, { keys: deps.keys, changes: tenancy.keyChanges, jsonBytes: deps.limits.jsonBytes });
  healthRoutes(app, deps);
  metricsRoute(app, deps.metrics);
  openApiRoutes(app, deps.catalogue, deps.version);
  consoleRoutes(app);
  queueBoardRoutes(app, deps.catalogue, deps.producer);
  app.use((req, _res, next) => next(new GantryError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}
