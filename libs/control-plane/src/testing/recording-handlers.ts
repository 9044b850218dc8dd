import type { ControlHandlers } from '../start-control-agent.js';

/** Control handlers that record which of them ran, in order. */
export function recordingHandlers(): ControlHandlers & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    pause: async () => {
      calls.push('pause');
    },
    resume: async () => {
      calls.push('resume');
    },
    drain: async () => {
      calls.push('drain');
    },
    cancel: async (jobId) => {
      calls.push(`cancel ${jobId}`);
    },
  };
}
