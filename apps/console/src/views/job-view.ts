import type { Job, JobEvent, JobHistoryEntry } from '@gantry/client';
import { announce, formatTime, h } from '../dom.js';
import { isFinished, statusClass } from '../job-statuses.js';
import { renderOutput } from '../render/job-output.js';
import { pipelineSteps } from '../render/pipeline-steps.js';
import { authorizedFetch } from '../session.js';
import type { ViewContext } from '../view-context.js';
import { followJob } from './follow-job.js';

interface BlobInput {
  blob_id: string;
  media_type?: string;
  filename?: string;
}

const isBlob = (value: unknown): value is BlobInput =>
  typeof value === 'object' && value !== null && typeof (value as BlobInput).blob_id === 'string';

/** The job's input file as an object URL, when it is an image (to draw its boxes on); revoked on leaving. */
async function inputImageUrl(ctx: ViewContext, job: Job): Promise<string | null> {
  const file = (job.input as Record<string, unknown> | null)?.['file'];
  if (!isBlob(file) || !file.media_type?.startsWith('image/')) return null;
  const response = await authorizedFetch(
    ctx.apiKey,
    `/v1/blobs/${encodeURIComponent(file.blob_id)}`,
    ctx.signal,
  );
  if (!response.ok) return null;
  const url = URL.createObjectURL(await response.blob());
  ctx.signal.addEventListener('abort', () => URL.revokeObjectURL(url));
  return url;
}

/** The recorded status changes as timeline entries: when, which status, and its attempt, worker or error. */
function historyTimeline(history: JobHistoryEntry[]): HTMLLIElement[] {
  return history.map(({ at, status, data }) => {
    const error = data['error'] as { code?: string; message?: string } | undefined;
    const attempt = typeof data['attempt'] === 'number' ? ` attempt ${data['attempt']}` : '';
    const worker = typeof data['worker'] === 'string' ? ` on ${data['worker']}` : '';
    return h(
      'li',
      error ? { class: 'error' } : {},
      h('time', {}, formatTime(at)),
      ` ${status}${attempt}${worker}`,
      error?.code ? ` — ${error.code}: ${error.message ?? ''}` : '',
    );
  });
}

/** A live event as a timeline entry; progress reports only move the progress bar. */
function eventEntry(event: JobEvent): HTMLLIElement | null {
  const now = h('time', {}, new Date().toLocaleString());
  switch (event.event) {
    case 'status':
      return h('li', {}, now, ` status ${event.data.status}`);
    case 'error':
      return h(
        'li',
        { class: 'error' },
        now,
        ` error ${event.data.code}: ${event.data.message}`,
        event.data.will_retry ? ` (retrying in ${event.data.retry_in_ms ?? 0} ms)` : '',
      );
    case 'completed':
      return h('li', {}, now, ` completed: ${event.data.status}`);
    default:
      return null;
  }
}

/** `#/jobs/<id>`: the job's input, output, error and timeline, live while it runs. */
export async function jobView(ctx: ViewContext): Promise<HTMLElement> {
  const { client, signal, param: id } = ctx;
  const [job, history] = await Promise.all([client.get(id, signal), client.history(id, signal)]);
  const details = h('div', { class: 'job-details' });
  const timeline = h('ol', { class: 'timeline', 'aria-label': 'Timeline' }, historyTimeline(history));
  const progress = h('progress', { id: 'job-progress', max: 100, value: job.progress.pct });
  const statusBadge = h('span', { class: statusClass(job.status), id: 'job-status' }, job.status);
  const cancel = h('button', { type: 'button', hidden: isFinished(job.status) }, 'Cancel job');
  // A pipeline run's steps, read again whenever the run reports progress (a step ended) and at its end.
  const steps = h('div', { class: 'pipeline-steps' });
  const showSteps = async () => {
    if (job.type !== 'pipeline') return;
    const run = await client.getPipelineRun(id, signal).catch(() => null);
    if (run) steps.replaceChildren(h('h2', {}, 'Steps'), pipelineSteps(run));
  };

  const show = async (current: Job) => {
    statusBadge.className = statusClass(current.status);
    statusBadge.textContent = current.status;
    progress.value = current.progress.pct;
    cancel.hidden = isFinished(current.status);
    const image = await inputImageUrl(ctx, current).catch(() => null);
    const shown = h(
      'div',
      {},
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Type'),
        h('dd', {}, current.type),
        h('dt', {}, 'Attempt'),
        h('dd', {}, `${current.attempt} of ${current.max_attempts}`),
        h('dt', {}, 'Worker'),
        h('dd', {}, current.worker ?? '—'),
        h('dt', {}, 'Model'),
        h('dd', {}, current.model ? `${current.model.name}@${current.model.version}` : '—'),
        h('dt', {}, 'Created'),
        h('dd', {}, formatTime(current.created_at)),
        ...(current.expires_at === null
          ? []
          : [h('dt', {}, 'Start deadline'), h('dd', {}, formatTime(current.expires_at))]),
        h('dt', {}, 'Ended'),
        h('dd', {}, formatTime(current.completed_at)),
      ),
      h('h2', {}, 'Input'),
      image ? h('img', { src: image, alt: 'The input image', class: 'input-image' }) : null,
      h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(current.input, null, 2)),
      current.error
        ? h(
            'div',
            { class: 'error', role: 'alert' },
            h('h2', {}, 'Error'),
            h('p', {}, h('code', {}, current.error.code), ` ${current.error.message}`),
          )
        : null,
      current.status === 'succeeded' ? h('h2', {}, 'Output') : null,
      current.status === 'succeeded' ? renderOutput(current, image) : null,
    );
    details.replaceChildren(shown);
  };

  cancel.addEventListener('click', () => {
    client.cancel(id).then(
      (canceled) => void show(canceled),
      (error: unknown) =>
        announce(`Could not cancel: ${error instanceof Error ? error.message : String(error)}`),
    );
  });

  await Promise.all([show(job), showSteps()]);
  if (!isFinished(job.status)) {
    void followJob(client, id, signal, (event) => {
      const entry = eventEntry(event);
      if (entry) timeline.append(entry);
      if (event.event === 'progress') {
        progress.value = event.data.pct;
        void showSteps();
      }
      if (event.event === 'status') {
        statusBadge.className = statusClass(event.data.status);
        statusBadge.textContent = event.data.status;
      }
      if (event.event === 'completed') {
        announce(`Job ${event.data.status}`);
        void client.get(id, signal).then(show, () => undefined);
        void showSteps();
      }
    });
  }

  return h(
    'section',
    { 'aria-labelledby': 'job-title' },
    h('p', {}, h('a', { href: '#/jobs' }, '← All jobs')),
    h('h1', { id: 'job-title' }, 'Job ', h('code', {}, id)),
    h(
      'p',
      { class: 'live-status', 'aria-live': 'polite' },
      'Status: ',
      statusBadge,
      ' ',
      h('label', { for: 'job-progress' }, 'Progress'),
      ' ',
      progress,
    ),
    cancel,
    details,
    job.type === 'pipeline' ? steps : null,
    h('h2', {}, 'Timeline'),
    timeline,
  );
}
