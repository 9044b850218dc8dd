import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc shows it (Linux): its parent, command line and CPU time so far. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  command: string;
  /** User and system CPU seconds. */
  cpuSeconds: number;
}

const clockTicks = 100;

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: the fields after it are split from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      command,
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / clockTicks,
    };
  } catch {
    return null; // gone between the listing and the read
  }
}

/** Running (not zombie) children of `parent` whose command line contains `marker`. */
export function childProcesses(parent: number, marker: string): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter(
      (info): info is ProcessInfo => info !== null && info.ppid === parent && info.command.includes(marker),
    )
    .sort((a, b) => a.pid - b.pid);
}

/** Whether a process still runs (a zombie counts as gone: it holds no CPU and no memory). */
export const isRunning = (pid: number): boolean => readProcess(pid) !== null;
