import { readFile } from 'node:fs/promises';
import { descendants } from './cpu-meter.js';

/** A process's resident memory from /proc/<pid>/status (VmRSS), in bytes; 0 once it is gone. */
async function processRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1_024;
}

/**
 * The resident memory of a process and every process below it, in bytes: a worker with its engine
 * processes, which hold the jobs' work and would show a leak there, counted together.
 */
export async function treeRss(pid: number): Promise<number> {
  const sizes = await Promise.all([pid, ...(await descendants(pid))].map(processRss));
  return sizes.reduce((sum, size) => sum + size, 0);
}
