import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnglishReader, type ReadEnglish } from './english-nlp.js';
import { chunkCharacters, summarizeLocally } from './summarize-locally.js';

// Real: wink-nlp's sentence boundaries and tokens, LangChain's recursive splitter.
let read: ReadEnglish;
beforeAll(() => {
  read = loadEnglishReader();
});

const article = [
  'Dr. Patel opened the new clinic on Monday.',
  'The clinic treats patients with heart disease from the whole region.',
  'It has forty beds and two operating theatres for heart surgery.',
  'Parking was a problem.',
  'Patients with heart disease waited months for surgery before the clinic opened, Dr. Patel said.',
].join(' ');

describe('summarizeLocally', () => {
  it('picks the central sentences in source order, with their offsets', async () => {
    const { summary, sentences, chunks } = await summarizeLocally(
      article,
      { length: { sentences: 2 }, style: 'paragraph' },
      { read },
    );
    expect(chunks).toBe(1);
    expect(sentences).toHaveLength(2);
    expect(sentences.map((s) => s.text)).not.toContain('Parking was a problem.');
    for (const s of sentences) expect(article.slice(s.start, s.end)).toBe(s.text);
    expect(sentences[0]?.start).toBeLessThan(sentences[1]?.start ?? 0);
    expect(summary).toBe(sentences.map((s) => s.text).join(' '));
  });

  it('gives offsets from the first word to the last of each sentence of a text with a line a row', async () => {
    // As ocr.extract writes a page: line breaks, a sentence across two lines, a blank line between blocks.
    const page =
      'Dr. Patel opened the new clinic on Monday.\nThe clinic treats patients with heart\ndisease from the whole region.\n\nParking was a problem.\n';
    const { sentences } = await summarizeLocally(
      page,
      { length: { sentences: 3 }, style: 'paragraph' },
      { read },
    );
    expect(sentences).toHaveLength(3);
    for (const s of sentences) expect(page.slice(s.start, s.end).replace(/\s+/g, ' ')).toBe(s.text);
    expect(sentences.map((s) => page.slice(s.start, s.end))).toEqual([
      'Dr. Patel opened the new clinic on Monday.',
      'The clinic treats patients with heart\ndisease from the whole region.',
      'Parking was a problem.',
    ]);
  });

  it('keeps to a word budget and writes bullets', async () => {
    const { summary } = await summarizeLocally(
      article,
      { length: { words: 25 }, style: 'bullets' },
      { read },
    );
    expect(summary.replace(/^- /gm, '').split(/\s+/).length).toBeLessThanOrEqual(25);
    expect(summary.split('\n').every((line) => line.startsWith('- '))).toBe(true);
  });

  it('cuts the best sentence when not one fits the word budget', async () => {
    const { summary } = await summarizeLocally(
      article.replace('Parking was a problem. ', ''),
      { length: { words: 5 }, style: 'paragraph' },
      { read },
    );
    expect(summary.split(/\s+/)).toHaveLength(5);
    expect(summary).toMatch(/…$/);
  });

  it('summarises a long text chunk by chunk and reports each chunk', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `${article} Section ${i} is over.`).join('\n\n');
    expect(long.length).toBeGreaterThan(chunkCharacters * 2);
    const progress: [number, number][] = [];
    const result = await summarizeLocally(
      long,
      { length: { sentences: 3 }, style: 'paragraph' },
      { read, onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(result.chunks).toBeGreaterThan(2);
    expect(progress).toEqual(Array.from({ length: result.chunks }, (_, i) => [i + 1, result.chunks]));
    for (const s of result.sentences) expect(long.slice(s.start, s.end)).toBe(s.text);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    await expect(
      summarizeLocally(
        'x '.repeat(chunkCharacters),
        { length: { sentences: 1 }, style: 'paragraph' },
        { read, signal: controller.signal },
      ),
    ).rejects.toThrow('canceled');
  });
});
