import { Worker } from 'node:worker_threads';

// A thread has an event loop of its own: it keeps running while the main thread is stuck in a handler.
const watchdog = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
}, workerData.intervalMs);
`;

/**
 * Ends this engine process when its worker goes away (crash, SIGKILL), so no orphan holds a CPU.
 * The IPC 'disconnect' event does it for an idle process; a CPU-bound handler or a native inference
 * call blocks the event loop, so a thread also polls the parent pid and kills the process once it has
 * been re-parented.
 */
export function exitWithParent(onError: (error: Error) => void, intervalMs = 500): void {
  process.on('disconnect', () => process.exit(0));
  const thread = new Worker(watchdog, {
    eval: true,
    workerData: { parent: process.ppid, intervalMs },
    // The watchdog is plain JavaScript: no loader (tsx) to start in it.
    execArgv: [],
  });
  thread.on('error', onError);
  thread.unref();
}
