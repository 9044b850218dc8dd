import { GantryApiError } from '@gantry/client';
import { h } from '../dom.js';
import type { ViewContext } from '../view-context.js';

/**
 * `#/submit`: a job type, a file dropped on the drop zone (or chosen with the file picker, which is what the
 * keyboard reaches) and the rest of the input as JSON. On success it opens the new job's page.
 */
export async function submitView(ctx: ViewContext): Promise<HTMLElement> {
  const { client } = ctx;
  const types = await client.types();
  let file: File | null = null;

  const typeSelect = h(
    'select',
    { id: 'submit-type', name: 'type', required: true },
    types.map((t) => h('option', { value: t.type }, `${t.type} — ${t.summary}`)),
  );
  const fileInput = h('input', { id: 'submit-file', type: 'file', name: 'file' });
  const chosen = h('p', { id: 'submit-file-name', 'aria-live': 'polite' }, 'No file chosen');
  const input = h('textarea', { id: 'submit-input', name: 'input', rows: 6, spellcheck: false }, '{}');
  const problem = h('p', { class: 'error', role: 'alert' });

  const choose = (picked: File | null) => {
    file = picked;
    chosen.textContent = picked ? `File: ${picked.name} (${picked.size} bytes)` : 'No file chosen';
  };
  fileInput.addEventListener('change', () => choose(fileInput.files?.[0] ?? null));

  const zone = h(
    'div',
    { class: 'drop-zone', id: 'drop-zone' },
    h('label', { for: 'submit-file' }, 'Drop a file here, or choose one'),
    fileInput,
    chosen,
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    choose(event.dataTransfer?.files[0] ?? null);
  });

  const form = h(
    'form',
    {
      class: 'submit',
      'aria-labelledby': 'submit-title',
      onsubmit: (event: Event) => {
        event.preventDefault();
        problem.textContent = '';
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(input.value || '{}') as Record<string, unknown>;
        } catch {
          problem.textContent = 'The input is not valid JSON.';
          input.focus();
          return;
        }
        client.submit(typeSelect.value, parsed, file ? { file } : {}).then(
          (job) => (location.hash = `#/jobs/${encodeURIComponent(job.id)}`),
          (error: unknown) => {
            problem.textContent =
              error instanceof GantryApiError
                ? `${error.code}: ${error.message}`
                : `Could not submit: ${String(error)}`;
          },
        );
      },
    },
    h('label', { for: 'submit-type' }, 'Job type'),
    typeSelect,
    zone,
    h('label', { for: 'submit-input' }, 'Input (JSON, without the file)'),
    input,
    h('button', { type: 'submit' }, 'Submit job'),
    problem,
  );
  return h('section', {}, h('h1', { id: 'submit-title' }, 'Submit a job'), form);
}
