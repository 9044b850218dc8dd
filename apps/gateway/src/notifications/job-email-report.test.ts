import type { JobObject } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { renderJobReport } from './job-email-report.js';

const job = (fields: Partial<JobObject>): JobObject => ({
  id: '5c1f0000-0000-4000-8000-000000000000',
  type: 'ocr.extract',
  status: 'succeeded',
  status_reason: null,
  priority: null,
  attempt: 1,
  max_attempts: 3,
  progress: { pct: 100, message: null },
  input: {},
  output: null,
  error: null,
  model: null,
  worker: null,
  created_at: '2026-12-05T10:00:00.000Z',
  started_at: '2026-12-05T10:00:01.000Z',
  completed_at: '2026-12-05T10:00:03.500Z',
  expires_at: null,
  webhook: null,
  email: { to: ['ops@example.test'], events: ['succeeded'] },
  urls: { get: '/v1/jobs/5c1f', cancel: '/v1/jobs/5c1f/cancel', events: '/v1/jobs/5c1f/events' },
  ...fields,
});

describe('renderJobReport', () => {
  const link = 'https://gantry.example.test/v1/jobs/5c1f';

  it('reports a text result as text, with the facts and the link', () => {
    const report = renderJobReport(job({ output: { text: 'Invoice 4711\nTotal 12.00', pages: [] } }), link);
    expect(report.subject).toBe('Gantry: ocr.extract succeeded (5c1f0000)');
    expect(report.text).toContain('Duration: 2.5 s');
    expect(report.text).toContain('Result:\nInvoice 4711\nTotal 12.00');
    expect(report.text).toContain(`The whole job: ${link}`);
    expect(report.html).toContain(`<a href="${link}">`);
  });

  it('reports the summary of a document-summary run, not the whole text it was made from', () => {
    const report = renderJobReport(
      job({ type: 'pipeline', output: { text: 'Page one.\nPage two.', summary: 'Page two.' } }),
      link,
    );
    expect(report.text).toContain('Result:\nPage two.\n');
    expect(report.text).not.toContain('Page one.');
  });

  it('escapes whatever the job carries in the HTML part', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror="x">';
    const report = renderJobReport(
      job({ type: 'ocr.extract', output: { text: hostile }, error: null }),
      `${link}?"><script>`,
    );
    expect(report.html).not.toContain('<script>');
    expect(report.html).not.toContain('<img');
    expect(report.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(report.text).toContain(hostile);
  });

  it('shows the error of a failed job and cuts a long result short', () => {
    const failed = renderJobReport(
      job({
        status: 'timed_out',
        error: { code: 'JOB_TIMED_OUT', message: 'ran past 120 s', retryable: false, details: null },
      }),
      link,
    );
    expect(failed.subject).toContain('timed out');
    expect(failed.text).toContain('Error: JOB_TIMED_OUT: ran past 120 s');
    const long = renderJobReport(job({ output: { text: 'x'.repeat(5_000) } }), link);
    expect(long.text).toContain('… (3000 more characters at the link)');
  });
});
