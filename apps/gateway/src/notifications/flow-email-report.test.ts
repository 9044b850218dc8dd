import { describe, expect, it } from 'vitest';
import { renderFlowReport } from './flow-email-report.js';

describe('renderFlowReport', () => {
  const link = 'https://gantry.example.test/v1/jobs/5c1f0000.notify';
  const payload = {
    type: 'flow.notify' as const,
    timestamp: '2026-12-05T10:00:00.000Z',
    subject: null,
    job_id: '5c1f0000.notify',
  };

  it('carries a summary as text, with a link to the step job and a default subject', () => {
    const report = renderFlowReport(
      { ...payload, data: { summary: 'The depot opened.', blob: { blob_id: 'b1' } } },
      link,
    );
    expect(report.subject).toBe('Gantry: result (5c1f0000)');
    expect(report.text).toContain('The depot opened.');
    expect(report.text).not.toContain('blob_id');
    expect(report.text).toContain(link);
    expect(report.html).toContain(`<a href="${link}">5c1f0000.notify</a>`);
  });

  it('shows another value as JSON, takes the subject given, and escapes the HTML part', () => {
    const report = renderFlowReport({ ...payload, subject: 'Nightly', data: { name: '<b>x</b>' } }, link);
    expect(report.subject).toBe('Nightly');
    expect(report.text).toContain('"name": "<b>x</b>"');
    expect(report.html).toContain('&#60;b&#62;x&#60;/b&#62;');
    expect(report.html).not.toContain('<b>x</b>');
  });
});
