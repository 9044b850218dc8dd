import { writeFile } from 'node:fs/promises';
import { committedOpenApiPath, committedOpenApiText } from './committed-openapi.js';

// `npm run openapi`: rewrites the committed document after a contract or route change.
await writeFile(committedOpenApiPath, committedOpenApiText());
process.stdout.write(`wrote ${committedOpenApiPath}\n`);
