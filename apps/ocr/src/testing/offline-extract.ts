// Child process of ocr-engine.offline.test.ts: one engine start and one extraction, result on stdout.
import { readFileSync } from 'node:fs';
import { createOcrEngine } from '../engine/index.js';

const [imagePath] = process.argv.slice(2);
if (!imagePath) throw new Error('usage: offline-extract <image>');
const engine = await createOcrEngine();
try {
  const result = await engine.extract(readFileSync(imagePath));
  process.stdout.write(JSON.stringify({ text: result.text, models: engine.models }));
} finally {
  await engine.close();
}
