import { Worker } from 'node:worker_threads';

// Plain JavaScript run by a thread of its own: it needs no loader (execArgv: []), and a busy main
// thread does not delay it.
const watch = `
const { workerData: parent } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 100);
`;

/**
 * Ends this process within 0.1 s once process `parent` is gone (this one was adopted): SIGKILL,
 * as the parent got when its job was canceled. The IPC channel's `disconnect` event would say so
 * too, but only to a free event loop, and a recognizer process spends up to a second of JavaScript
 * (several on a loaded machine) straightening a page.
 */
export function leaveWithParent(parent: number): void {
  new Worker(watch, { eval: true, workerData: parent, execArgv: [] }).unref();
}
