import { JobObject } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { jobColumns } from './job-columns.js';
import { fromHashFields, toHashFields } from './job-hash.js';
import { JobRecord, jobStateFields } from './job-record.js';
import { toJobObject } from './to-job-object.js';

// Pure derivations from the one schema: no Redis or Postgres involved.
const record: JobRecord = {
  id: 'j1',
  tenant: 'acme',
  type: 'ocr.extract',
  queue: 'ocr',
  status: 'running',
  status_reason: null,
  priority: 3,
  attempt: 1,
  max_attempts: 3,
  progress_pct: 40,
  progress_message: 'page 2',
  input: { file: { blob_id: 'b1' } },
  output: null,
  error: null,
  model: { name: 'tesseract', version: '5', sha256: null },
  worker: 'w-1',
  idempotency_key: 'k1',
  created_at: '2026-03-01T10:00:00.000Z',
  started_at: '2026-03-01T10:00:01.000Z',
  completed_at: null,
  expires_at: null,
  webhook: null,
  email: { to: ['ops@example.com'], events: ['succeeded', 'failed'] },
  seq: 3,
};

describe('jobColumns', () => {
  it('types every field of the record for PostgreSQL from its schema', () => {
    const types = Object.fromEntries(jobColumns.map((column) => [column.name, column.type]));
    expect(types).toMatchObject({
      id: 'text',
      status: 'text',
      priority: 'integer',
      progress_pct: 'real',
      input: 'jsonb',
      error: 'jsonb',
      created_at: 'timestamptz',
      seq: 'integer',
    });
    expect(jobColumns.map((column) => column.name).sort()).toEqual(Object.keys(JobRecord.shape).sort());
  });

  it('keeps what a job is created with out of the state a change carries', () => {
    expect(jobStateFields).toContain('status');
    expect(jobStateFields).toContain('output');
    expect(jobStateFields).not.toContain('input');
    expect(jobStateFields).not.toContain('seq');
  });
});

describe('the hash codec', () => {
  it('reads back what it wrote', () => {
    expect(fromHashFields({ ...toHashFields(record), seq: '3' })).toEqual(record);
  });
});

describe('toJobObject', () => {
  it('answers a valid wire job without the fields only the services see', () => {
    const job = toJobObject(record);
    expect(JobObject.parse(job)).toEqual(job);
    expect(job).toMatchObject({ progress: { pct: 40, message: 'page 2' }, urls: { get: '/v1/jobs/j1' } });
    expect(job).not.toHaveProperty('tenant');
    expect(job).not.toHaveProperty('idempotency_key');
    expect(job).not.toHaveProperty('seq');
  });
});
