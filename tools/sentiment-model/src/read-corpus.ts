import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sentimentLabels } from '@gantry/llm-worker/sentiment-model';
import { z } from 'zod';

export const CorpusExample = z.object({
  text: z.string().trim().min(1),
  label: z.enum(sentimentLabels),
  domain: z.string().min(1),
  source: z.literal('written'),
});
export type CorpusExample = z.infer<typeof CorpusExample>;

export interface Corpus {
  examples: CorpusExample[];
  /** sha256 over every file's name and bytes, in name order: the identity of the training data. */
  sha256: string;
}

/** Reads every `*.jsonl` file of the corpus folder in name order, refusing bad lines and repeated texts. */
export async function readCorpus(folder: string): Promise<Corpus> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.jsonl')).sort();
  if (files.length === 0) throw new Error(`no *.jsonl files in ${folder}`);
  const hash = createHash('sha256');
  const examples: CorpusExample[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const bytes = await readFile(path.join(folder, file));
    hash.update(file).update('\0').update(bytes).update('\0');
    bytes
      .toString('utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        const where = `${file}:${i + 1}`;
        const parsed = CorpusExample.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
        const key = parsed.data.text.toLowerCase().replace(/\s+/g, ' ');
        const first = seen.get(key);
        if (first !== undefined) throw new Error(`${where}: same text as ${first}`);
        seen.set(key, where);
        examples.push(parsed.data);
      });
  }
  return { examples, sha256: hash.digest('hex') };
}
