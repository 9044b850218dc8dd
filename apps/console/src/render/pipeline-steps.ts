import type { PipelineRun } from '@gantry/client';
import { h } from '../dom.js';
import { statusClass } from '../job-statuses.js';

/**
 * A pipeline run's steps as a table: each step's type and status, its jobs linked to their own pages (a
 * fan-out has one per element), and the error it ended with. The run's page shows it under its facts.
 */
export function pipelineSteps(run: PipelineRun): HTMLTableElement {
  return h(
    'table',
    { class: 'steps' },
    h('caption', {}, 'Steps, in the order the pipeline declares them'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Step', 'Type', 'Status', 'Jobs', 'Error'].map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      run.steps.map((step) =>
        h(
          'tr',
          { 'data-step': step.id },
          h('th', { scope: 'row' }, step.id),
          h('td', {}, step.type),
          h('td', {}, h('span', { class: statusClass(step.status) }, step.status)),
          h(
            'td',
            {},
            step.jobs.length === 0
              ? '—'
              : step.jobs.flatMap((job, i) => [
                  i > 0 ? ' ' : null,
                  h(
                    'a',
                    { href: `#/jobs/${encodeURIComponent(job.id)}` },
                    job.id.slice(job.id.indexOf('.') + 1),
                  ),
                ]),
          ),
          h(
            'td',
            {},
            step.error ? h('code', {}, step.error.code) : null,
            step.error ? ` ${step.error.message}` : null,
          ),
        ),
      ),
    ),
  );
}
