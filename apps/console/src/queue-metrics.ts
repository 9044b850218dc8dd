/** One queue as the gateway's scaling gauges show it (`/metrics`, a `platform` key only). */
export interface QueueFigures {
  queue: string;
  waiting: number;
  delayed: number;
  active: number;
  paused: number;
  meanServiceSeconds: number | null;
}

const sample = /^(gantry_queue_jobs|gantry_queue_mean_service_seconds)\{([^}]*)\}\s+(\S+)$/;
const label = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * The per-queue figures of a Prometheus text exposition: `gantry_queue_jobs{queue,state}` and
 * `gantry_queue_mean_service_seconds{queue}`; every other metric is ignored.
 */
export function parseQueueFigures(text: string): QueueFigures[] {
  const queues = new Map<string, QueueFigures>();
  for (const line of text.split('\n')) {
    const match = sample.exec(line.trim());
    if (!match) continue;
    const [, metric, labelText = '', valueText = ''] = match;
    const labels = Object.fromEntries([...labelText.matchAll(label)].map(([, k, v]) => [k, v]));
    const queue = labels['queue'];
    const value = Number(valueText);
    if (!queue || !Number.isFinite(value)) continue;
    const figures = queues.get(queue) ?? {
      queue,
      waiting: 0,
      delayed: 0,
      active: 0,
      paused: 0,
      meanServiceSeconds: null,
    };
    queues.set(queue, figures);
    if (metric === 'gantry_queue_mean_service_seconds') figures.meanServiceSeconds = value;
    else if (labels['state'] === 'waiting') figures.waiting = value;
    else if (labels['state'] === 'delayed') figures.delayed = value;
    else if (labels['state'] === 'active') figures.active = value;
    else if (labels['state'] === 'paused') figures.paused = value;
  }
  return [...queues.values()].sort((a, b) => a.queue.localeCompare(b.queue));
}

/** Jobs waiting for a slot, or for an operator's resume. */
export const backlogOf = (figures: QueueFigures): number =>
  figures.waiting + figures.delayed + figures.paused;

/**
 * Jobs a minute the queue finishes now, by Little's law: the jobs running divided by how long one takes.
 * Null before the queue has finished a job (no service time to divide by).
 */
export function throughputPerMinute(figures: QueueFigures): number | null {
  if (!figures.meanServiceSeconds || figures.meanServiceSeconds <= 0) return null;
  return (figures.active / figures.meanServiceSeconds) * 60;
}
