import type { WorkerInfo } from '@gantry/client';
import { announce, formatTime, h } from '../dom.js';
import { backlogOf, parseQueueFigures, type QueueFigures, throughputPerMinute } from '../queue-metrics.js';
import { authorizedFetch } from '../session.js';
import type { ViewContext } from '../view-context.js';

const refreshMs = 3_000;

/** The scaling gauges, for a `platform` key; other keys see the workers only. */
async function readFigures(ctx: ViewContext): Promise<QueueFigures[]> {
  if (!ctx.platform) return [];
  const response = await authorizedFetch(ctx.apiKey, '/metrics', ctx.signal);
  return response.ok ? parseQueueFigures(await response.text()) : [];
}

const dash = '—';

/**
 * `#/queues`: each queue's workers, backlog and throughput, with pause and resume for a `platform` key;
 * then every live worker. Refreshed every few seconds, keeping the keyboard focus where it was.
 */
export async function queuesView(ctx: ViewContext): Promise<HTMLElement> {
  const { client, signal, platform } = ctx;
  const pausedHere = new Map<string, boolean>();
  const queuesBody = h('tbody');
  const workersBody = h('tbody');

  const setPaused = async (queue: string, pause: boolean) => {
    try {
      const answer = pause ? await client.pauseQueue(queue) : await client.resumeQueue(queue);
      pausedHere.set(queue, answer.paused);
      announce(`Queue ${queue} ${answer.paused ? 'paused' : 'resumed'}`);
      await refresh();
    } catch (error) {
      announce(`Could not change queue ${queue}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const queueRow = (queue: string, workers: WorkerInfo[], figures: QueueFigures | undefined) => {
    const paused = pausedHere.get(queue) ?? workers.some((worker) => worker.state === 'paused');
    const busy = workers.reduce((sum, worker) => sum + worker.busy, 0);
    const slots = workers.reduce((sum, worker) => sum + worker.concurrency, 0);
    const throughput = figures ? throughputPerMinute(figures) : null;
    return h(
      'tr',
      { 'data-queue': queue },
      h('th', { scope: 'row' }, queue),
      h('td', {}, `${workers.filter((w) => w.state === 'ready').length} ready of ${workers.length}`),
      h('td', {}, `${busy} / ${slots}`),
      h('td', { 'data-cell': 'backlog' }, figures ? String(backlogOf(figures)) : dash),
      h('td', {}, throughput === null ? dash : throughput.toFixed(1)),
      h('td', { 'data-cell': 'state' }, paused ? 'paused' : 'running'),
      platform
        ? h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                'data-key': `toggle-${queue}`,
                'aria-label': `${paused ? 'Resume' : 'Pause'} queue ${queue}`,
                onclick: () => void setPaused(queue, !paused),
              },
              paused ? 'Resume' : 'Pause',
            ),
          )
        : null,
    );
  };

  const workerRow = (worker: WorkerInfo) =>
    h(
      'tr',
      {},
      h('td', {}, h('code', {}, worker.id)),
      h('td', {}, worker.app),
      h('td', {}, worker.queue),
      h('td', {}, worker.state_reason ? `${worker.state} (${worker.state_reason})` : worker.state),
      h('td', {}, `${worker.busy} / ${worker.concurrency}`),
      h('td', {}, worker.device),
      h('td', {}, worker.models.map((m) => `${m.name}@${m.version}`).join(', ') || dash),
      h('td', {}, formatTime(worker.heartbeat_at)),
    );

  async function refresh(): Promise<void> {
    const [workers, figures] = await Promise.all([client.workers(), readFigures(ctx).catch(() => [])]);
    const names = [...new Set([...workers.map((w) => w.queue), ...figures.map((f) => f.queue)])].sort();
    const focused = document.activeElement?.getAttribute('data-key');
    queuesBody.replaceChildren(
      ...names.map((queue) =>
        queueRow(
          queue,
          workers.filter((w) => w.queue === queue),
          figures.find((f) => f.queue === queue),
        ),
      ),
    );
    workersBody.replaceChildren(...workers.map(workerRow));
    if (focused) queuesBody.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  }

  await refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), refreshMs);
  signal.addEventListener('abort', () => clearInterval(timer));

  const queueHeads = ['Queue', 'Workers', 'Busy slots', 'Backlog', 'Throughput (jobs/min)', 'State'];
  return h(
    'section',
    { 'aria-labelledby': 'queues-title' },
    h('h1', { id: 'queues-title' }, 'Workers and queues'),
    platform ? null : h('p', {}, 'Backlog, throughput and pause/resume need a key with the platform scope.'),
    h(
      'table',
      { class: 'queues' },
      h('caption', {}, 'Queues: throughput is jobs running ÷ recent mean service time'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [...queueHeads, ...(platform ? ['Control'] : [])].map((title) => h('th', { scope: 'col' }, title)),
        ),
      ),
      queuesBody,
    ),
    h(
      'table',
      { class: 'workers' },
      h('caption', {}, 'Live workers'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Worker', 'App', 'Queue', 'State', 'Busy', 'Device', 'Models', 'Heartbeat'].map((title) =>
            h('th', { scope: 'col' }, title),
          ),
        ),
      ),
      workersBody,
    ),
  );
}
