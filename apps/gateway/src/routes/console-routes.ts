import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import express, { type IRouter, type NextFunction, type Request, type Response } from 'express';

/**
 * The console's build (apps/console/dist), at the same place relative to this file in the repository
 * (src/routes) and in its build output (dist/routes); the gateway image copies it there too.
 */
const defaultConsoleDir = path.resolve(import.meta.dirname, '../../../console/dist');

/**
 * The console runs its own script and styles only, and talks to this gateway alone: nothing inline, no
 * other origin, no framing. Images are the job's own input, fetched with the key into `blob:` URLs.
 */
const consolePolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const secureHeaders = (_req: Request, res: Response, next: NextFunction) => {
  res.setHeader('Content-Security-Policy', consolePolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/**
 * The web console at `/console`: one page (its views are hash routes) and its hashed assets, public like
 * `/docs` — the page asks for an API key and sends it on each API call itself.
 */
export function consoleRoutes(router: IRouter, dir = defaultConsoleDir): void {
  router.get('/console', secureHeaders, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(dir, 'index.html'), (error) => {
      if (error) {
        next(
          new GantryError(
            'NOT_FOUND',
            'the console is not built here: run `npx nx run @gantry/console:build`',
          ),
        );
      }
    });
  });
  // File names carry a content hash: a browser may keep them for good.
  router.use(
    '/console/assets',
    secureHeaders,
    express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d' }),
  );
}
