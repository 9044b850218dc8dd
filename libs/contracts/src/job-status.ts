import { z } from 'zod';

export const JobStatus = z.enum([
  'queued',
  'running',
  'retrying',
  'succeeded',
  'failed',
  'canceled',
  'timed_out',
  'expired',
]);
export type JobStatus = z.infer<typeof JobStatus>;

export const terminalStatuses = [
  'succeeded',
  'failed',
  'canceled',
  'timed_out',
  'expired',
] as const satisfies readonly JobStatus[];
export type TerminalStatus = (typeof terminalStatuses)[number];

export const isTerminal = (status: JobStatus): status is TerminalStatus =>
  (terminalStatuses as readonly JobStatus[]).includes(status);

/**
 * The status machine: queued → running → succeeded | failed | canceled | timed_out; running ⇄ retrying;
 * queued → expired (its start deadline passed before a worker took it).
 */
export const allowedTransitions: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'canceled', 'failed', 'expired'],
  running: ['succeeded', 'failed', 'canceled', 'timed_out', 'retrying', 'running'],
  retrying: ['running', 'canceled', 'failed'],
  succeeded: [],
  failed: [],
  canceled: [],
  timed_out: [],
  expired: [],
};
