import type { WorkerAnnouncement } from '@gantry/contracts';

/** A valid announcement for tests; what a real worker runtime would report. */
export function testAnnouncement(id: string, queue: string): WorkerAnnouncement {
  const now = new Date().toISOString();
  return {
    id,
    app: `${queue}-worker`,
    version: '0.0.0-test',
    host: 'test-host',
    pid: process.pid,
    queue,
    concurrency: 1,
    busy: 0,
    device: 'cpu',
    state: 'ready',
    state_reason: null,
    models: [],
    job_types: [],
    started_at: now,
    heartbeat_at: now,
  };
}
