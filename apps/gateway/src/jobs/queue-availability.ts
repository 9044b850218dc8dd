import type { ControlClient } from '@gantry/control-plane';

/**
 * Why a queued job waits: no live worker for its queue, none ready (and why), or a paused queue.
 * Read from the worker registry, cached for a second so polling clients cost one lookup a second.
 */
export class QueueAvailability {
  private cache = new Map<string, { at: number; reason: string | null }>();

  constructor(private readonly control: ControlClient) {}

  async reason(queue: string): Promise<string | null> {
    const cached = this.cache.get(queue);
    if (cached && Date.now() - cached.at < 1_000) return cached.reason;
    const reason = await this.compute(queue).catch(() => null);
    this.cache.set(queue, { at: Date.now(), reason });
    return reason;
  }

  private async compute(queue: string): Promise<string | null> {
    if (await this.control.isQueuePaused(queue)) return `queue "${queue}" is paused`;
    const workers = await this.control.listWorkers({ queue });
    if (workers.length === 0) return `no live worker for queue "${queue}"`;
    if (workers.some((w) => w.state === 'ready')) return null;
    const reasons = [...new Set(workers.map((w) => w.state_reason ?? w.state))].join('; ');
    return `no ready worker for queue "${queue}": ${reasons}`;
  }
}
