/** What a queue holds now, as BullMQ counts it. */
export interface QueueLoad {
  /** Ready to run: BullMQ's `wait` list plus its `prioritized` set (every Gantry job has a priority). */
  waiting: number;
  /** Waiting for a retry's backoff (or a delay) to end: they need a slot soon. */
  delayed: number;
  /** Taken by a worker (running, or held ahead by a worker whose jobs are short). */
  active: number;
}

/** How fast one replica of the queue's worker serves. */
export interface ServiceProfile {
  /** Recent mean time from a worker taking a job to finishing it. */
  meanServiceSeconds: number;
  /** Jobs one replica runs at a time (its announced concurrency). */
  slotsPerReplica: number;
}

/**
 * Replicas a queue's worker needs so that no job waits longer than `targetWaitSeconds`: the jobs
 * running keep their slots, and the backlog (ready and delayed) must drain within the target,
 * which takes backlog × service time ÷ target slots — but never more slots than there are jobs,
 * since a job that gets a slot at once waits no longer however slow it is. A backlog with no
 * replica always asks for one, so a queue scaled to zero wakes up.
 */
export function replicasNeeded(load: QueueLoad, profile: ServiceProfile, targetWaitSeconds: number): number {
  const backlog = load.waiting + load.delayed;
  if (backlog === 0 && load.active === 0) return 0;
  const drainSlots = Math.min(backlog, (backlog * profile.meanServiceSeconds) / targetWaitSeconds);
  const slots = load.active + drainSlots;
  return Math.max(1, Math.ceil(slots / Math.max(1, profile.slotsPerReplica) - 1e-9));
}
