import { fileURLToPath } from 'node:url';
import { startControlAgent } from '@gantry/control-plane';
import { startWorkerApp } from '@gantry/queue-runtime';

await startWorkerApp({
  app: 'ocr-worker',
  version: process.env['npm_package_version'] ?? '0.1.0',
  module: fileURLToPath(
    new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  ),
  startControl: startControlAgent,
});
