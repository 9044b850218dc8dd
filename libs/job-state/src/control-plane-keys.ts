/**
 * The control plane's Redis names, derived from the installation's prefix like a job's keys: each
 * worker's announcement and the index of live workers, the pause flags and drain requests an agent
 * converges to, the pub/sub patterns that nudge agents at once, and the connection names CLIENT LIST
 * shows. Redis pub/sub ignores the database number, so the prefix is what keeps installations (and
 * test runs) sharing one Redis apart.
 */
export function controlPlaneKeys(prefix: string) {
  return {
    worker: (workerId: string) => `${prefix}:worker:${workerId}`,
    /** Sorted set of live workers' ids, scored by when their announcement expires. */
    workers: `${prefix}:workers`,
    /** Present while a queue is paused; no expiry, so a worker that starts later starts paused. */
    paused: (queue: string) => `${prefix}:paused:${queue}`,
    drain: (workerId: string) => `${prefix}:drain:${workerId}`,
    /** Event patterns on the NestJS Redis transport. */
    channels: {
      pause: `${prefix}:control.queue.pause`,
      resume: `${prefix}:control.queue.resume`,
      drain: `${prefix}:control.worker.drain`,
      cancel: `${prefix}:control.job.cancel`,
    },
    /** A request/response pattern per worker: only the worker addressed answers a command. */
    workerCommand: (workerId: string) => `${prefix}:control.worker.${workerId}.command`,
    /** `<prefix>:control:<role>`; CLIENT SETNAME refuses spaces. */
    connectionName: (role: string) => `${prefix}:control:${role}`.replace(/\s/g, '_'),
  };
}

export type ControlPlaneKeys = ReturnType<typeof controlPlaneKeys>;
