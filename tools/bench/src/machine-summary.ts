import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { BenchRun } from './bench-run.js';

/** The 1-minute load average: above the core count, something else was competing for the CPU. */
export const loadAverage = () => (loadavg()[0] ?? 0).toFixed(2);

const git = async (cwd: string, ...args: string[]) =>
  (await promisify(execFile)('git', args, { cwd })).stdout.trim();

/** Where and on what the numbers were measured: they only compare within one run on one machine. */
export async function machineSummary(run: BenchRun): Promise<string[]> {
  const commit = await git(run.repoRoot, 'rev-parse', '--short', 'HEAD').catch(() => 'unknown');
  const dirty = await git(run.repoRoot, 'status', '--porcelain', '--untracked-files=no')
    .then((status) => (status ? ' (with uncommitted changes)' : ''))
    .catch(() => '');
  return [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${run.cpus} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${(totalmem() / 1_073_741_824).toFixed(0)} GiB RAM, Node ${process.version}, commit ${commit}${dirty}` +
      `${run.quick ? ', **--quick** (short runs: indicative only)' : ''}; load average ${loadAverage()} at the start.`,
    'Everything (load generator, gateway, workers, Redis, PostgreSQL) shares these cores, so compare ratios within this run, ' +
      'not absolute numbers across machines. Servers run in their own processes at LOG_LEVEL=warn; Redis and PostgreSQL are the local ones.',
  ];
}
