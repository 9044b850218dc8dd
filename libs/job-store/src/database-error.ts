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

/** Normalises a pg failure once: an unreachable database is DATABASE_UNAVAILABLE (503, retryable). */
export function toDatabaseError(error: unknown): GantryError {
  if (error instanceof GantryError) return error;
  if (isDatabaseUnavailable(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new GantryError('DATABASE_UNAVAILABLE', 'PostgreSQL is unreachable', {
      details: { reason },
      cause: error,
    });
  }
  return GantryError.from(error);
}
