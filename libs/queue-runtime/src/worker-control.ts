import type { WorkerAnnouncement } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';

/** What a worker does when the control plane asks. */
export interface WorkerControlHandlers {
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stop taking jobs, finish the running ones, then exit. */
  drain(): Promise<void>;
  /** Stop a job now if this worker runs it. */
  cancel(jobId: string): Promise<void>;
  /** Answers a command addressed to this worker alone (the definition's `commands`). */
  command?(payload: unknown): Promise<unknown>;
}

export interface WorkerControlOptions {
  redisUrl: string;
  prefix: string;
  heartbeatMs: number;
  ttlMs: number;
  logger: Logger;
  announce: () => WorkerAnnouncement;
  handlers: WorkerControlHandlers;
}

/**
 * Connects a worker to the control plane: announcements, heartbeats and commands. The runtime only
 * knows this shape; a worker app's `main` passes `startControlAgent` of `@gantry/control-plane`, so the
 * runtime itself never loads NestJS.
 */
export type StartWorkerControl = (options: WorkerControlOptions) => Promise<{ stop(): Promise<void> }>;
