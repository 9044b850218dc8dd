import type { JobRepository } from '@gantry/job-store';
import type { JobStateStore } from '@gantry/job-state';
import type { StepJob } from './pipeline-state.js';

/**
 * Reads a run's step jobs: Redis while they are live, PostgreSQL once a finished one has left Redis
 * (ADR 0006). A job in neither was never created.
 */
export const stepJobReader =
  (store: JobStateStore, repository: JobRepository, tenant: string) =>
  (ids: readonly string[]): Promise<(StepJob | null)[]> =>
    Promise.all(
      ids.map(async (id) => {
        const live = await store.get(id);
        const job = live?.tenant === tenant ? live : live ? null : await repository.get(tenant, id);
        return job && { id: job.id, status: job.status, output: job.output, error: job.error };
      }),
    );
