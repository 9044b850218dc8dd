import type { JobObject } from '@gantry/contracts';

export interface EmailReport {
  subject: string;
  text: string;
  html: string;
}

const resultExcerptChars = 2_000;

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * A value, or as much of it as a mail should carry: a summary (`llm.summarize`, the document-summary
 * pipeline, whose output also holds the whole text) or a text as text, a string as it is, others as JSON.
 */
export function readableValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const fields = typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const readable = [value, fields['summary'], fields['text']].find((field) => typeof field === 'string');
  const full = typeof readable === 'string' ? readable : JSON.stringify(value, null, 2);
  return full.length > resultExcerptChars
    ? `${full.slice(0, resultExcerptChars)}\n… (${full.length - resultExcerptChars} more characters at the link)`
    : full;
}

function durationOf(job: JobObject): string | null {
  if (!job.started_at || !job.completed_at) return null;
  const ms = Date.parse(job.completed_at) - Date.parse(job.started_at);
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

/**
 * A job's report as a mail, HTML and plain text alike: what ran, how it ended, the result (or the error)
 * and a link to the whole job. Everything the job carries is escaped in the HTML part.
 */
export function renderJobReport(job: JobObject, link: string): EmailReport {
  const facts: [string, string][] = [
    ['Job', job.id],
    ['Type', job.type],
    ['Status', job.status],
    ['Created', job.created_at],
    ...(job.completed_at ? ([['Completed', job.completed_at]] as [string, string][]) : []),
    ...(durationOf(job) ? ([['Duration', durationOf(job) as string]] as [string, string][]) : []),
    ...(job.error ? ([['Error', `${job.error.code}: ${job.error.message}`]] as [string, string][]) : []),
  ];
  const result = readableValue(job.output);
  const subject = `Gantry: ${job.type} ${job.status.replace('_', ' ')} (${job.id.slice(0, 8)})`;
  const text = [
    `Your ${job.type} job is ${job.status.replace('_', ' ')}.`,
    '',
    ...facts.map(([name, value]) => `${name}: ${value}`),
    ...(result === null ? [] : ['', 'Result:', result]),
    '',
    `The whole job: ${link}`,
  ].join('\n');
  const rows = facts
    .map(([name, value]) => `<tr><th align="left">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<p>Your <b>${escapeHtml(job.type)}</b> job is <b>${escapeHtml(job.status.replace('_', ' '))}</b>.</p>`,
    `<table cellpadding="4">${rows}</table>`,
    result === null ? '' : `<h3>Result</h3><pre style="white-space: pre-wrap">${escapeHtml(result)}</pre>`,
    `<p><a href="${escapeHtml(link)}">The whole job</a></p>`,
    '</body></html>',
  ].join('');
  return { subject, text, html };
}
