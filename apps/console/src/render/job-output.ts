import type { Job } from '@gantry/client';
import { h } from '../dom.js';
import { forecastChart } from './forecast-chart.js';
import { boxesOf, imageWithBoxes } from './image-boxes.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The text an output reads as, where it has one: OCR text, a summary, a draft or rewrite. */
function textOf(output: Record<string, unknown>): string | null {
  for (const field of ['text', 'summary', 'reply', 'rewritten']) {
    if (typeof output[field] === 'string') return output[field];
  }
  return null;
}

/**
 * A job's output as a person reads it: its text, its boxes drawn on the input image (`imageUrl`, when the
 * input is an image), the forecast chart with its interval; then the whole output as JSON.
 */
export function renderOutput(job: Job, imageUrl: string | null): HTMLElement {
  const output = job.output;
  const parts: (HTMLElement | SVGElement)[] = [];
  if (isRecord(output)) {
    const text = textOf(output);
    if (text !== null) parts.push(h('h3', {}, 'Text'), h('pre', { class: 'text', tabindex: 0 }, text));
    const found = boxesOf(job.type, output);
    if (found && imageUrl) {
      parts.push(
        h('h3', {}, `Boxes (${found.boxes.length})`),
        h(
          'figure',
          {},
          imageWithBoxes(imageUrl, found, `Input image with ${found.boxes.length} boxes drawn on it`),
          h('figcaption', {}, found.boxes.map((box) => box.label).join(' · ') || 'Nothing found'),
        ),
      );
    }
    if (job.type === 'predictive.forecast') {
      const forecast = job as Job<'predictive.forecast'>;
      parts.push(
        h('h3', {}, 'Forecast'),
        h(
          'figure',
          {},
          forecastChart(forecast.input.series, forecast.output?.forecast ?? []),
          h('figcaption', {}, 'Known series (solid), forecast (dashed) and its prediction interval (shaded)'),
        ),
      );
    }
  }
  parts.push(
    h('h3', {}, 'Output (JSON)'),
    h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(output, null, 2)),
  );
  return h('div', { class: 'output' }, parts);
}
