import type { Job } from '@gantry/client';

type Status = Job['status'];

/** A record rather than a list: the compiler fails here when the contracts add a status. */
const finished: Record<Status, boolean> = {
  queued: false,
  running: false,
  retrying: false,
  succeeded: true,
  failed: true,
  canceled: true,
  timed_out: true,
  expired: true,
};

/** Every status, for the filter. */
export const statuses = Object.keys(finished) as Status[];

export const isFinished = (status: Status): boolean => finished[status];

/** A status badge's class (a job's status, or a pipeline step's); its text says the status, the colour only repeats it. */
export const statusClass = (status: string): string => `status status-${status.replace('_', '-')}`;
