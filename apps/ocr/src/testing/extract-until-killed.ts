// Child process of ocr-engine.killed.test.ts: an engine process as the runtime runs one. It reads a
// document on two recognizer processes (tesseract.js hosts, or native CLIs) and, once both are
// reading, prints their pids for the test to SIGKILL this process, as the runtime does when a job
// is canceled or times out.
import { readFileSync } from 'node:fs';
import { createOcrEngine } from '../engine/index.js';
import { childProcesses } from './child-processes.js';
import { readOcrFixture } from './ocr-fixtures.js';

const [documentPath, kind = 'tesseract.js'] = process.argv.slice(2);
if (!documentPath || (kind !== 'tesseract.js' && kind !== 'native')) {
  throw new Error('usage: extract-until-killed <document> [tesseract.js|native]');
}
const marker = kind === 'native' ? 'tesseract stdin stdout' : 'recognizer-host';
const engine = await createOcrEngine({ engine: kind, poolSize: 2 });
// Two small pages at once: the second recognizer process starts, so both are warm and reading below.
const small = readOcrFixture('hard-small.png');
await Promise.all([engine.extract(small), engine.extract(small)]);
const started = new Set<string>();
await engine.extract(readFileSync(documentPath), {
  onProgress: (_, message) => {
    if (!message.endsWith('recognizing') || started.has(message)) return;
    started.add(message);
    if (started.size !== 2) return;
    // Both deep in recognition: a native CLI has had 3 s of CPU (its warm-up page took a tenth of that).
    // Earlier, it still reads its page or writes its resolution estimate to stderr, and a closed pipe
    // would end it anyway (EOF, SIGPIPE), proving nothing; from there it writes nothing until its result.
    const report = setInterval(() => {
      const readers = childProcesses(process.pid, marker);
      if (readers.length < 2 || readers.some((p) => p.cpuSeconds < 3)) return;
      clearInterval(report);
      process.stdout.write(`${JSON.stringify(readers.map((p) => p.pid))}\n`);
    }, 100);
  },
});
