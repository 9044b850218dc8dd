import { GantryError } from '@gantry/contracts';

/** The position after the last row of a page in (created_at DESC, id DESC) order. */
export interface JobCursor {
  createdAt: string;
  id: string;
}

/** Opaque to clients: base64url of JSON, so its shape can change without a new API. */
export function encodeJobCursor(cursor: JobCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeJobCursor(value: string): JobCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [createdAt, id] = parsed as unknown[];
      if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) {
        return { createdAt, id };
      }
    }
  } catch {
    // falls through to the typed error below
  }
  throw new GantryError('BAD_REQUEST', 'The cursor is not one this API returned', {
    details: { cursor: value },
  });
}
