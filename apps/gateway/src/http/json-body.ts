import express, { type RequestHandler } from 'express';

/**
 * A JSON body parser of at most `limit` bytes (any content type: the route has checked it). A body whose
 * Content-Length is over the limit is refused before a byte of it is read, and the connection closes after
 * the answer, as an upload over the limit is: body-parser would read the whole body off first, so a client
 * that declared 100 MB (or waits on `Expect: 100-continue`) got its 413 only once it had sent all of it.
 */
export function jsonBody(limit: number): RequestHandler {
  const parse = express.json({ limit, type: () => true });
  return (req, res, next) => {
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > limit) {
      res.setHeader('Connection', 'close');
      // body-parser's own error, so that every route and the error handler treat it as they do that one.
      next(
        Object.assign(new Error('request entity too large'), {
          type: 'entity.too.large',
          status: 413,
          expected: length,
          length,
          limit,
        }),
      );
      return;
    }
    parse(req, res, next);
  };
}
