import { describe, expect, it } from 'vitest';
import { fromHashFields } from './job-hash.js';
import { jobStateFields } from './job-record.js';
import { parseRecordEntry } from './record-entry.js';

// Pure parsing: no Redis or Postgres involved.
const hash = {
  id: 'j1',
  tenant: 'acme',
  type: 'ocr.extract',
  queue: 'ocr',
  status: 'succeeded',
  status_reason: '',
  priority: '3',
  attempt: '2',
  max_attempts: '3',
  progress_pct: '100',
  progress_message: 'done',
  input: '{"text":"hi"}',
  output: '{"words":1}',
  error: '',
  model: '{"name":"tesseract","version":"5","sha256":null}',
  worker: 'w-1',
  idempotency_key: '',
  created_at: '2026-03-01T10:00:00.123456Z',
  started_at: '2026-03-01T10:00:01Z',
  completed_at: '',
  expires_at: '',
  seq: '4',
};

describe('fromHashFields', () => {
  it('types every field and reads empty strings as null', () => {
    expect(fromHashFields(hash)).toEqual({
      id: 'j1',
      tenant: 'acme',
      type: 'ocr.extract',
      queue: 'ocr',
      status: 'succeeded',
      status_reason: null,
      priority: 3,
      attempt: 2,
      max_attempts: 3,
      progress_pct: 100,
      progress_message: 'done',
      input: { text: 'hi' },
      output: { words: 1 },
      error: null,
      model: { name: 'tesseract', version: '5', sha256: null },
      worker: 'w-1',
      idempotency_key: null,
      created_at: '2026-03-01T10:00:00.123Z',
      started_at: '2026-03-01T10:00:01.000Z',
      completed_at: null,
      expires_at: null,
      webhook: null,
      email: null,
      seq: 4,
    });
  });

  it('turns values Postgres would refuse into safe ones instead of failing the batch', () => {
    const snapshot = fromHashFields({
      ...hash,
      priority: '99999999999',
      attempt: 'x',
      progress_pct: '250',
      started_at: 'yesterday',
      output: 'not json',
    });
    expect(snapshot).toMatchObject({
      priority: null,
      attempt: 0,
      progress_pct: 100,
      started_at: null,
      output: 'not json',
    });
  });

  it('refuses a hash that cannot be a job row', () => {
    expect(fromHashFields({})).toBeNull();
    expect(fromHashFields({ id: 'j1', progress_pct: '40', seq: '9' })).toBeNull();
    expect(fromHashFields({ ...hash, created_at: 'soon' })).toBeNull();
  });
});

describe('parseRecordEntry', () => {
  it('reads the fields of a records entry', () => {
    const entry = parseRecordEntry('1767225600000-0', [
      'id',
      'j1',
      'seq',
      '2',
      'status',
      'failed',
      'at',
      '2026-01-01T00:00:05Z',
      'data',
      '{"code":"HANDLER_FAILED"}',
    ]);
    expect(entry).toEqual({
      streamId: '1767225600000-0',
      jobId: 'j1',
      seq: 2,
      status: 'failed',
      at: '2026-01-01T00:00:05.000Z',
      data: { code: 'HANDLER_FAILED' },
      job: null,
      state: null,
    });
  });

  it("reads the state a change's entry carries, only when it carries every state field", () => {
    const fields = ['id', 'j1', 'seq', '2', 'status', 'running'];
    const state = jobStateFields.flatMap((name) => [`state.${name}`, name === 'worker' ? 'w-1' : '']);
    expect(parseRecordEntry('1-0', [...fields, ...state])?.state).toMatchObject({
      worker: 'w-1',
      output: '',
    });
    expect(parseRecordEntry('1-0', [...fields, ...state.slice(2)])?.state).toBeNull();
  });

  it("reads the new job's fields an entry carries, and ignores fields that are not all strings", () => {
    const fields = ['id', 'j1', 'seq', '1', 'status', 'queued'];
    expect(parseRecordEntry('1-0', [...fields, 'job', '{"id":"j1","tenant":"acme"}'])?.job).toEqual({
      id: 'j1',
      tenant: 'acme',
    });
    expect(parseRecordEntry('1-0', [...fields, 'job', '{"id":"j1","attempt":0}'])?.job).toBeNull();
    expect(parseRecordEntry('1-0', [...fields, 'job', 'not json'])?.job).toBeNull();
  });

  it('falls back to the entry time and wraps non-object data', () => {
    const entry = parseRecordEntry('1767225600000-0', ['id', 'j1', 'seq', '1', 'data', '"x"']);
    expect(entry).toMatchObject({ at: '2026-01-01T00:00:00.000Z', data: { value: 'x' }, status: '' });
  });

  it('rejects entries without a job id or an integer seq', () => {
    expect(parseRecordEntry('1-0', ['seq', '1'])).toBeNull();
    expect(parseRecordEntry('1-0', ['id', 'j1', 'seq', 'one'])).toBeNull();
  });
});
