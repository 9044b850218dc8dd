import type { JobObject } from '@gantry/contracts';
import type { JobRepository } from '@gantry/job-store';
import { type JobStateStore, toJobObject } from '@gantry/job-state';
import type { QueueAvailability } from './queue-availability.js';

/**
 * Reads a job for one tenant: the live Redis state first (it is there from the 202 on, for every
 * replica), Postgres once Redis has let it go. Another tenant's job reads as absent.
 */
export class JobReader {
  constructor(
    private readonly store: JobStateStore,
    private readonly repository: JobRepository,
    private readonly availability: QueueAvailability,
  ) {}

  async get(tenant: string, id: string): Promise<JobObject | null> {
    const live = await this.store.get(id);
    if (live) {
      if (live.tenant !== tenant) return null;
      const reason =
        live.status === 'queued' ? await this.availability.reason(live.queue) : live.status_reason;
      return toJobObject(live, reason);
    }
    const stored = await this.repository.get(tenant, id);
    return stored ? toJobObject(stored) : null;
  }
}
