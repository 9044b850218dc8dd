import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Finds the processes of one group (a server, a worker's engine processes…) at the moment it is called. */
export type PidSource = () => Promise<readonly number[]>;

// utime and stime in /proc/<pid>/stat count clock ticks (100 a second on Linux, but ask).
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's CPU so far (user + system, all its threads), in ms; null once it is gone. */
async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Every process below `pid` (children, their children…), from /proc/<pid>/task/<tid>/children. */
export async function descendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  const visit = async (parent: number) => {
    const threads = await readdir(`/proc/${parent}/task`).catch(() => [] as string[]);
    for (const tid of threads) {
      const children = await readFile(`/proc/${parent}/task/${tid}/children`, 'utf8').catch(() => '');
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        found.push(child);
        await visit(child);
      }
    }
  };
  await visit(pid);
  return found;
}

/**
 * CPU time per group of processes over a measurement, from /proc/<pid>/stat (utime + stime) of
 * every process of each group. Groups are looked up again every `everyMs`, so a process that starts
 * during the measurement (a PostgreSQL backend, a replaced engine) counts from zero, and one that ends
 * keeps what it had used when last seen. Where /proc cannot be read (not Linux), every group reads null.
 */
export class CpuMeter {
  private readonly seen = new Map<number, { group: string; from: number; last: number }>();
  private readonly timer: NodeJS.Timeout;
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly groups: Readonly<Record<string, PidSource>>,
    everyMs: number,
  ) {
    this.timer = setInterval(() => {
      this.pending = this.pending.then(() => this.sample(false));
    }, everyMs);
  }

  static async start(groups: Readonly<Record<string, PidSource>>, everyMs = 500): Promise<CpuMeter> {
    const meter = new CpuMeter(groups, everyMs);
    meter.pending = meter.sample(true);
    await meter.pending;
    return meter;
  }

  /** CPU ms each group used since `start`; null for a group in which no process was ever found. */
  async stop(): Promise<Record<string, number | null>> {
    clearInterval(this.timer);
    await this.pending;
    await this.sample(false);
    const used: Record<string, number | null> = Object.fromEntries(
      Object.keys(this.groups).map((g) => [g, null]),
    );
    for (const { group, from, last } of this.seen.values()) used[group] = (used[group] ?? 0) + last - from;
    return used;
  }

  private async sample(first: boolean): Promise<void> {
    for (const [group, source] of Object.entries(this.groups)) {
      const pids = await source().catch(() => [] as number[]);
      for (const pid of pids) {
        const cpu = await processCpuMs(pid);
        if (cpu === null) continue;
        const known = this.seen.get(pid);
        if (known) known.last = cpu;
        else this.seen.set(pid, { group, from: first ? cpu : 0, last: cpu });
      }
    }
  }
}
