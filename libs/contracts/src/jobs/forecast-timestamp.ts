import { z } from 'zod';

const rfc3339Date = z.iso.date();
const rfc3339DateTime = z.iso.datetime({ offset: true });

/** True for an RFC 3339 full-date (`2024-12-03`): a series of them is answered with dates too. */
export const isCalendarDate = (timestamp: string): boolean => rfc3339Date.safeParse(timestamp).success;

export const ForecastTimestamp = z
  .string({ error: 'timestamp must be an RFC 3339 date or date-time, e.g. 2024-01-31' })
  .refine((timestamp) => isCalendarDate(timestamp) || rfc3339DateTime.safeParse(timestamp).success, {
    // A bad timestamp stops the parse before the series-wide checks, which would misread it as a gap.
    abort: true,
    error: 'timestamp must be an RFC 3339 date (2024-01-31) or date-time (2024-01-31T00:00:00Z)',
  })
  .describe('An RFC 3339 date (midnight UTC) or date-time with offset.');
