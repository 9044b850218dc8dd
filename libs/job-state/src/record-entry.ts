import { toInt, toJson, toTimestamp } from './job-hash.js';
import { jobStateFields } from './job-record.js';

/** One status change read from the records stream (written by the job-state scripts). */
export interface RecordEntry {
  /** The stream entry id (ms-seq), used to ack and delete. */
  streamId: string;
  jobId: string;
  seq: number;
  status: string;
  at: string;
  data: Record<string, unknown>;
  /**
   * The job's hash fields as they were after this change, when the entry carries them (a new job's
   * entry does): the row can then be written without reading the hash.
   */
  job: Record<string, string> | null;
  /**
   * Every state field of the job after this change, when the entry carries them (a status change's
   * does; entries of workers older than that do not, and their job is read back from its hash).
   */
  state: Record<string, string> | null;
}

/** Null when the entry cannot be recorded (no job id or no integer seq). */
export function parseRecordEntry(streamId: string, fields: readonly string[]): RecordEntry | null {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const jobId = map.get('id');
  const seq = toInt(map.get('seq'));
  if (!jobId || seq === null) return null;
  const data = toJson(map.get('data'));
  return {
    streamId,
    jobId,
    seq,
    status: map.get('status') ?? '',
    // A missing or bad time falls back to when Redis accepted the entry, which is within a millisecond of it.
    at: toTimestamp(map.get('at')) ?? new Date(streamIdMs(streamId)).toISOString(),
    job: hashFields(map.get('job')),
    state: stateFields(map),
    data:
      data !== null && typeof data === 'object' && !Array.isArray(data)
        ? (data as Record<string, unknown>)
        : data === null
          ? {}
          : { value: data },
  };
}

export function streamIdMs(streamId: string): number {
  return Number(streamId.split('-')[0]);
}

function stateFields(map: ReadonlyMap<string, string>): Record<string, string> | null {
  const state: Record<string, string> = {};
  for (const name of jobStateFields) {
    const value = map.get(`state.${name}`);
    if (value === undefined) return null;
    state[name] = value;
  }
  return state;
}

/** A JSON object of strings (what the create script stores in the hash), else null. */
function hashFields(value: string | undefined): Record<string, string> | null {
  const parsed = toJson(value);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.values(parsed).every((field) => typeof field === 'string')
    ? (parsed as Record<string, string>)
    : null;
}
