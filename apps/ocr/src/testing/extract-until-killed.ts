// Child process of ocr-engine.killed.test.ts: an engine process as the runtime runs one. It reads a
// document on two recognizer processes and, once both are reading, prints their pids for the test
// to SIGKILL this process, as the runtime does when a job is canceled or times out.
import { readFileSync } from 'node:fs';
import { createOcrEngine } from '../engine/index.js';
import { childProcesses } from './child-processes.js';
import { readOcrFixture } from './ocr-fixtures.js';

const [documentPath] = process.argv.slice(2);
if (!documentPath) throw new Error('usage: extract-until-killed <document>');
const engine = await createOcrEngine({ poolSize: 2 });
// Two small pages at once: the second recognizer process starts, so both are warm and reading below.
const small = readOcrFixture('hard-small.png');
await Promise.all([engine.extract(small), engine.extract(small)]);
const started = new Set<string>();
await engine.extract(readFileSync(documentPath), {
  onProgress: (_, message) => {
    if (!message.endsWith('recognizing') || started.has(message)) return;
    started.add(message);
    if (started.size !== 2) return;
    setTimeout(() => {
      const pids = childProcesses(process.pid, 'recognizer-host').map((p) => p.pid);
      process.stdout.write(`${JSON.stringify(pids)}\n`);
    }, 500);
  },
});
