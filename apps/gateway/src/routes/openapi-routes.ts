import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Request, type Response, type IRouter } from 'express';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';
import { buildOpenApi } from '../openapi/openapi-document.js';

const referencePage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Gantry API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;

/** `/openapi.json` and a browsable reference at `/docs`, served from local files (no CDN). */
export function openApiRoutes(router: IRouter, catalogue: JobCatalogue, version: string): void {
  const assets = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.json(buildOpenApi(catalogue, version));
  });
  router.get('/docs', (_req: Request, res: Response) => {
    res.type('html').send(referencePage);
  });
  router.use('/docs/assets', express.static(assets, { index: false }));
}
