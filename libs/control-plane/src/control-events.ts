import { ErrorInfo } from '@gantry/contracts';
import { z } from 'zod';

/** Payload of `control.queue.pause` and `control.queue.resume`. */
export const QueueControlEvent = z.object({ queue: z.string().min(1) });
export type QueueControlEvent = z.infer<typeof QueueControlEvent>;

/** Payload of `control.worker.drain`. */
export const DrainControlEvent = z.object({ worker_id: z.string().min(1) });
export type DrainControlEvent = z.infer<typeof DrainControlEvent>;

/** Payload of `control.job.cancel`: the cancel is already in the job's state; this makes it immediate. */
export const CancelControlEvent = z.object({ job_id: z.string().min(1), queue: z.string().min(1) });
export type CancelControlEvent = z.infer<typeof CancelControlEvent>;

/**
 * The answer to a worker command (a NestJS request/response message): the handler's result, or the
 * typed error it threw, so the caller rethrows the same code.
 */
export const WorkerCommandReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorInfo }),
]);
export type WorkerCommandReply = z.infer<typeof WorkerCommandReply>;
