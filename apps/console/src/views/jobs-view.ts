import type { Job } from '@gantry/client';
import { announce, formatTime, h } from '../dom.js';
import { isFinished, statusClass, statuses } from '../job-statuses.js';
import type { ViewContext } from '../view-context.js';
import { followJob } from './follow-job.js';

/** Open event streams at once: each holds one of the tenant's stream quota, so only the newest are live. */
const maxLiveRows = 6;
const refreshMs = 4_000;

/**
 * `#/jobs?type=&status=`: the jobs, newest first, filtered by type and status, a page at a time. Rows of
 * jobs still running follow their events (SSE through the SDK); new jobs appear at the top.
 */
export async function jobsView(ctx: ViewContext): Promise<HTMLElement> {
  const { client, signal, query } = ctx;
  const type = query.get('type') ?? '';
  const status = query.get('status') ?? '';
  const types = await client.types().catch(() => []);

  const typeSelect = h(
    'select',
    { id: 'filter-type', name: 'type' },
    h('option', { value: '' }, 'All types'),
    types.map((t) => h('option', { value: t.type, selected: t.type === type }, t.type)),
  );
  const statusSelect = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'All statuses'),
    statuses.map((s) => h('option', { value: s, selected: s === status }, s)),
  );
  const filters = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filter jobs',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        if (typeSelect.value) next.set('type', typeSelect.value);
        if (statusSelect.value) next.set('status', statusSelect.value);
        location.hash = `#/jobs${next.size > 0 ? `?${next}` : ''}`;
      },
    },
    h('label', { for: 'filter-type' }, 'Type'),
    typeSelect,
    h('label', { for: 'filter-status' }, 'Status'),
    statusSelect,
    h('button', { type: 'submit' }, 'Apply filters'),
  );

  const body = h('tbody');
  const rows = new Map<string, HTMLTableRowElement>();
  let live = 0;
  const listQuery = {
    ...(type ? { type } : {}),
    ...(status ? { status: status as Job['status'] } : {}),
    limit: 20,
  };

  const follow = (job: Job, row: HTMLTableRowElement) => {
    if (isFinished(job.status) || live >= maxLiveRows) return;
    live += 1;
    void followJob(client, job.id, signal, (event) => {
      if (event.event === 'status') setStatus(row, event.data.status);
      if (event.event === 'progress') setCell(row, 'progress', `${Math.round(event.data.pct)}%`);
      if (event.event === 'completed') {
        setStatus(row, event.data.status);
        announce(`Job ${job.id} ${event.data.status}`);
      }
    }).finally(() => (live -= 1));
  };

  const rowFor = (job: Job) => {
    const row = h(
      'tr',
      { 'data-job-id': job.id },
      h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.id)),
      h('td', {}, job.type),
      h('td', { 'data-cell': 'status' }, h('span', { class: statusClass(job.status) }, job.status)),
      h('td', { 'data-cell': 'progress' }, `${Math.round(job.progress.pct)}%`),
      h('td', {}, formatTime(job.created_at)),
    );
    rows.set(job.id, row);
    return row;
  };

  const pages = client.list(listQuery);
  const more = h('button', { type: 'button', hidden: true }, 'Load more jobs');
  const loadPage = async () => {
    const page = await pages.next();
    if (page.done) return;
    for (const job of page.value.data) {
      if (rows.has(job.id)) continue;
      const row = rowFor(job);
      body.append(row);
      follow(job, row);
    }
    more.hidden = page.value.next_cursor === null;
  };
  more.addEventListener('click', () => void loadPage());
  await loadPage();

  // New jobs (from this console, the CLI or any client) join the top of the list as they come.
  const timer = setInterval(() => {
    void (async () => {
      const first = await client.list(listQuery).next();
      if (first.done || signal.aborted) return;
      for (const job of [...first.value.data].reverse()) {
        if (rows.has(job.id)) continue;
        const row = rowFor(job);
        body.prepend(row);
        follow(job, row);
      }
    })().catch(() => undefined);
  }, refreshMs);
  signal.addEventListener('abort', () => clearInterval(timer));

  return h(
    'section',
    { 'aria-labelledby': 'jobs-title' },
    h('h1', { id: 'jobs-title' }, 'Jobs'),
    filters,
    h(
      'table',
      { class: 'jobs' },
      h('caption', {}, 'Newest first; running jobs update live'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Job', 'Type', 'Status', 'Progress', 'Created'].map((title) => h('th', { scope: 'col' }, title)),
        ),
      ),
      body,
    ),
    more,
  );
}

function setCell(row: HTMLTableRowElement, cell: string, text: string): void {
  const element = row.querySelector(`[data-cell="${cell}"]`);
  if (element) element.textContent = text;
}

function setStatus(row: HTMLTableRowElement, status: Job['status']): void {
  const element = row.querySelector('[data-cell="status"]');
  element?.replaceChildren(h('span', { class: statusClass(status) }, status));
}
