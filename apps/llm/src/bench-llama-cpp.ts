/**
 * Tokens per second of the llama-cpp provider on a GGUF (default: the tiny random-weights test
 * model), through the same provider code the worker runs:
 *   npx tsx apps/llm/src/bench-llama-cpp.ts [model.gguf] [threads]
 * A speed figure for the path, not for a real model: the tiny model has 1 block of width 8.
 */
import path from 'node:path';
import { loadLlamaCppProvider } from './providers/llama-cpp-provider.js';

const [file, threadArg] = process.argv.slice(2);
const modelPath =
  file ?? path.resolve(import.meta.dirname, '../../../../shared/models/llm-tiny/llama-2-tiny-random.gguf');
const threads = Number(threadArg ?? 1);
const rounds = 5;
const maxTokens = 256;

const loadStarted = performance.now();
const provider = await loadLlamaCppProvider({ modelPath, threads, contextSize: 1024, gpu: false });
const loadMs = performance.now() - loadStarted;
const rates: number[] = [];
let firstTokenMs = 0;
for (let round = 0; round < rounds; round++) {
  const started = performance.now();
  let first = 0;
  const answer = await provider.generate('Once upon a time', {
    maxTokens,
    onToken: () => (first ||= performance.now() - started),
  });
  const seconds = (performance.now() - started) / 1_000;
  rates.push(answer.usage.completion_tokens / seconds);
  firstTokenMs += first / rounds;
}
await provider.dispose();
rates.sort((a, b) => a - b);
process.stdout.write(
  `${path.basename(modelPath)}, ${threads} thread(s): load ${loadMs.toFixed(0)} ms; ` +
    `${maxTokens} tokens × ${rounds}: median ${rates[Math.floor(rounds / 2)]?.toFixed(0)} tokens/s ` +
    `(min ${rates[0]?.toFixed(0)}, max ${rates.at(-1)?.toFixed(0)}); first token ${firstTokenMs.toFixed(1)} ms\n`,
);
