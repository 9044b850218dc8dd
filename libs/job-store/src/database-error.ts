import { GantryError } from '@gantry/contracts';

// SQLSTATE classes that mean "the database is not there right now", as opposed to a bad query:
// 08 connection exceptions, 57P01-03 shutdown / cannot connect now, 53300 too many connections,
// 57014 statement timeout (an overloaded database), plus the socket errors node reports.
const unavailableCodes =
  /^(08|57P0[1-3]$|53300$|57014$|ECONNREFUSED$|ECONNRESET$|ETIMEDOUT$|EPIPE$|ENOTFOUND$|EAI_AGAIN$|EHOSTUNREACH$)/;
// node-postgres raises these without a code.
const unavailableMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|not queryable/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && unavailableCodes.test(code)) return true;
  return unavailableMessages.test(error.message);
}

// SQLSTATEs of a value PostgreSQL cannot take, whatever the query: a NUL character in text (22021) or
// a \u0000 escape in jsonb (22P05), a lone surrogate escape in jsonb (22P02), a date-time out of its
// range (22008). Such a value comes from the request (a name, a query parameter, a batch item), so the
// request is refused, not the server faulted.
const unstorableValues: Record<string, string> = {
  '22021': 'holds a NUL character (\\u0000), which cannot be stored',
  '22P05': 'holds a NUL character (\\u0000), which cannot be stored',
  '22P02': 'holds a value that cannot be stored (a lone UTF-16 surrogate such as \\ud800, or malformed text)',
  '22008': 'holds a date-time out of the range that can be stored',
};

/**
 * Normalises a pg failure once: an unreachable database is DATABASE_UNAVAILABLE (503, retryable); a value
 * it cannot store is BAD_REQUEST (400); anything else INTERNAL. PostgreSQL's own words (a constraint's
 * name, the server's address) stay in the cause, for the log: they tell a client nothing it can act on.
 */
export function toDatabaseError(error: unknown): GantryError {
  if (error instanceof GantryError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const unstorable = typeof code === 'string' ? unstorableValues[code] : undefined;
  if (unstorable) {
    return new GantryError('BAD_REQUEST', `a value in the request ${unstorable}`, {
      details: { sqlstate: code },
      cause: error,
    });
  }
  if (isDatabaseUnavailable(error)) {
    return new GantryError('DATABASE_UNAVAILABLE', 'PostgreSQL is unreachable', { cause: error });
  }
  return new GantryError('INTERNAL', 'a database query failed', { cause: error });
}
