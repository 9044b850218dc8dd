import { z } from 'zod';
import { isCreationField, JobRecord } from './job-record.js';

/** A field's PostgreSQL type, read off its schema; in the Redis hash every value is a string ('' = null). */
export type ColumnType = 'text' | 'integer' | 'real' | 'jsonb' | 'timestamptz';

export interface JobColumn {
  name: keyof JobRecord;
  type: ColumnType;
  /** Whether null is a valid value (else a missing value makes the record incomplete, or takes `fallback`). */
  nullable: boolean;
  creation: boolean;
  /** A number column's bounds, to bring a stored value back within them. */
  min: number;
  max: number;
  /** A required number column's value when the stored one is missing or unreadable. */
  fallback: number | null;
}

function columnType(schema: z.ZodType): ColumnType {
  const inner = schema instanceof z.ZodNullable ? (schema.unwrap() as z.ZodType) : schema;
  if (inner instanceof z.ZodNumber) return inner.isInt ? 'integer' : 'real';
  if (inner instanceof z.ZodISODateTime) return 'timestamptz';
  if (inner instanceof z.ZodString || inner instanceof z.ZodEnum) return 'text';
  return 'jsonb';
}

function numberBounds(schema: z.ZodType): { min: number; max: number } {
  const inner = schema instanceof z.ZodNullable ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodNumber)) return { min: -Infinity, max: Infinity };
  return { min: inner.minValue ?? -Infinity, max: inner.maxValue ?? Infinity };
}

/** Every field of the job record, in schema order, as the hash codec and the `jobs` table see it. */
export const jobColumns: readonly JobColumn[] = Object.entries(JobRecord.shape).map(([name, schema]) => {
  const type = columnType(schema);
  const nullable = schema.safeParse(null).success;
  const numeric = type === 'integer' || type === 'real';
  return {
    name: name as keyof JobRecord,
    type,
    nullable,
    creation: isCreationField(name),
    ...numberBounds(schema),
    fallback: numeric && !nullable ? ([0, 1].find((value) => schema.safeParse(value).success) ?? 0) : null,
  };
});
