import { readFile } from 'node:fs/promises';

interface CpuTimes {
  busy: number;
  total: number;
  cpus: number;
}

/** Time the machine's CPUs spent busy and in all (any unit: only their ratio is used), from /proc/stat. */
async function cpuTimes(): Promise<CpuTimes | null> {
  try {
    const lines = (await readFile('/proc/stat', 'utf8')).split('\n');
    // "cpu  user nice system idle iowait irq softirq steal …": idle and iowait are the time not busy.
    const fields = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const cpus = lines.filter((line) => /^cpu\d+ /.test(line)).length;
    return Number.isFinite(total) && total > 0 && cpus > 0 ? { busy: total - idle, total, cpus } : null;
  } catch {
    return null;
  }
}

/**
 * How many of the machine's CPUs were busy on average, every process counted, between this call and
 * the call of the function it returns; that function gives null where /proc/stat cannot be read.
 */
export async function machineCoresBusy(): Promise<() => Promise<number | null>> {
  const from = await cpuTimes();
  return async () => {
    const to = await cpuTimes();
    if (!from || !to || to.total <= from.total) return null;
    return (to.cpus * (to.busy - from.busy)) / (to.total - from.total);
  };
}
