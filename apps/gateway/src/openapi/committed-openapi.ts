import { createRequire } from 'node:module';
import path from 'node:path';
import { JobCatalogue } from '../catalogue/job-catalogue.js';
import { buildOpenApi } from './openapi-document.js';

const gatewayPackage = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The committed copy, `apps/gateway/openapi.json` (from src/openapi or dist/openapi alike). */
export const committedOpenApiPath = path.resolve(import.meta.dirname, '../../openapi.json');

/**
 * The document of the built-in catalogue (no announced types), as committed: a contract change shows
 * as a diff of this file in review.
 */
export const committedOpenApiText = (): string =>
  `${JSON.stringify(buildOpenApi(new JobCatalogue(), gatewayPackage.version), null, 2)}\n`;
