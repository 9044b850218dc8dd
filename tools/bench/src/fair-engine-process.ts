/**
 * Child entry: the fair baseline's engine process. It answers each job message over IPC with the
 * job's output, as Gantry's engine host does for a no-op job: one round trip between two processes.
 */
import type { FairEngineReply, FairEngineRequest } from './fair-engine.js';

process.on('message', (request: FairEngineRequest) => {
  process.send?.({ jobId: request.jobId, output: { n: request.input.n ?? 0 } } satisfies FairEngineReply);
});
// The worker gone, nothing is left to answer.
process.on('disconnect', () => process.exit(0));
