import { GantryError } from '@gantry/contracts';
import type { RequestHandler } from 'express';

const encodedNul = /%00/i;

/**
 * A path naming a resource with a NUL byte names none: PostgreSQL text cannot hold one, so letting it
 * through would end as a database error (500) on every route that looks an id up.
 */
export const refuseNulPath: RequestHandler = (req, _res, next) => {
  next(
    encodedNul.test(req.path) ? new GantryError('BAD_REQUEST', 'the path holds a NUL byte (%00)') : undefined,
  );
};
