import { type EmailReport, escapeHtml, readableValue } from './job-email-report.js';

/** What a `flow.notify` step queues for its e-mail: the value, and which step job sent it. */
export interface FlowEmailPayload {
  type: 'flow.notify';
  timestamp: string;
  subject: string | null;
  data: unknown;
  job_id: string;
}

/**
 * A `flow.notify` step's e-mail, HTML and plain text alike: the value it was given, readable (a summary or
 * a text as text, anything else as JSON, cut at the length a mail should carry), and a link to the step's
 * job, whose input holds the whole value. Everything the value carries is escaped in the HTML part.
 */
export function renderFlowReport(payload: FlowEmailPayload, link: string): EmailReport {
  const subject = payload.subject ?? `Gantry: result (${payload.job_id.slice(0, 8)})`;
  const body = readableValue(payload.data) ?? '(no value)';
  const text = [body, '', `Sent by job ${payload.job_id} at ${payload.timestamp}: ${link}`].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<pre style="white-space: pre-wrap">${escapeHtml(body)}</pre>`,
    `<p>Sent by job <a href="${escapeHtml(link)}">${escapeHtml(payload.job_id)}</a> at ${escapeHtml(payload.timestamp)}.</p>`,
    '</body></html>',
  ].join('');
  return { subject, text, html };
}
