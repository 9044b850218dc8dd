import { GantryError, type LlmIntentOutput } from '@gantry/contracts';
import { builtInCategories } from './built-in-categories.js';
import type { DetectLanguage } from '../detect-language.js';
import { draftReplyLocally } from './draft-reply-locally.js';
import type { ReadEnglish } from './english-nlp.js';
import { createClassifierCache } from './classifier-cache.js';
import { trainExampleClassifier } from './example-classifier.js';
import { extractKeywords } from './extract-keywords.js';
import { findEntities } from './find-entities.js';
import { independentScores, softmaxScores } from './label-scores.js';
import { requireText } from '../text-refusal.js';
import type { LanguageProvider } from './language-provider.js';
import { summarizeLocally } from './summarize-locally.js';

/** Words a minute of an adult reading on a screen (Brysbaert, 2019: 238 for non-fiction). */
const readingWordsPerMinute = 230;
/** Below this many letters a language guess is noise: the text is read as English. */
const minLettersForLanguage = 12;
const minLanguageConfidence = 0.5;

const versions = 'wink-eng-lite-web-model@1.8.1+compromise@14';

/**
 * The embedded `local` provider: real classical NLP, no model download. Summaries are extractive
 * (TextRank), tags come from wink-nlp, compromise and ibantools, intents and labels are learnt
 * from the caller's examples, replies are picked from a template library and filled.
 */
export function createLocalLanguageProvider(read: ReadEnglish, detect: DetectLanguage): LanguageProvider {
  const categories = trainExampleClassifier(read, builtInCategories);
  const classifierFor = createClassifierCache(read);

  const languageOf = (text: string): string | null => {
    const letters = text.match(/\p{L}/gu)?.length ?? 0;
    if (letters === 0) return null;
    if (letters < minLettersForLanguage) return 'en';
    const guess = detect(text.slice(0, 5_000));
    return guess === null || guess.confidence < minLanguageConfidence ? 'en' : guess.language;
  };
  const requireEnglish = (text: string, what: string) => {
    const language = languageOf(text);
    if (language !== null && language !== 'en') {
      throw new GantryError(
        'LANGUAGE_UNSUPPORTED',
        `The local provider ${what} English only; this text reads as "${language}"`,
        {
          details: { language, supported: ['en'] },
        },
      );
    }
    return language;
  };
  return {
    model: { name: 'gantry-local-nlp', version: versions, sha256: null },

    async summarize(text, options, { signal, progress } = {}) {
      requireText(text);
      const language = requireEnglish(text, 'summarises');
      const result = await summarizeLocally(text, options, {
        read,
        ...(signal ? { signal } : {}),
        onProgress: (done, total) =>
          progress?.((100 * done) / total, `chunk ${Math.min(done, total)} of ${total}`),
      });
      return { ...result, method: 'textrank', language };
    },

    async tags({ text, max_keywords }, { signal } = {}) {
      requireText(text);
      signal?.throwIfAborted();
      const { tokens, entities: winkEntities } = read(text);
      const entities = findEntities(text, winkEntities);
      const words = tokens.filter((t) => t.type === 'word' || t.type === 'number').length;
      const [best] = softmaxScores(categories.similarities(text), true);
      return {
        keywords: extractKeywords(
          tokens,
          max_keywords,
          entities.filter((e) => e.type !== 'person' && e.type !== 'organization' && e.type !== 'place'),
        ),
        entities,
        language: languageOf(text),
        word_count: words,
        reading_time_s: Math.ceil((words / readingWordsPerMinute) * 60),
        category: best && best.name !== 'none' ? { name: best.name, score: best.score } : null,
      };
    },

    async intent({ text, intents, min_confidence }, { signal } = {}) {
      requireText(text);
      signal?.throwIfAborted();
      const scores = softmaxScores(classifierFor(intents).similarities(text), true);
      const labelled = scores.filter((s) => s.name !== 'none');
      const [best, second] = labelled;
      const none = scores.find((s) => s.name === 'none')?.score ?? 0;
      // The best label must beat "nothing fits" and the caller's floor; else it is the runner-up of `none`.
      const fits = best !== undefined && best.score > none && best.score >= (min_confidence ?? 0);
      const runnerUp = fits ? second : best;
      const output: LlmIntentOutput = {
        intent: fits ? best.name : 'none',
        confidence: fits ? best.score : Math.max(none, 1 - (best?.score ?? 0)),
        runner_up: runnerUp ? { name: runnerUp.name, confidence: runnerUp.score } : null,
        method: 'examples',
      };
      return output;
    },

    async classify({ text, labels, multi_label }, { signal } = {}) {
      requireText(text);
      signal?.throwIfAborted();
      const similarities = classifierFor(labels).similarities(text);
      return {
        labels: multi_label ? independentScores(similarities) : softmaxScores(similarities, false),
        method: 'examples',
      };
    },

    async draftReply(input, { signal } = {}) {
      requireText(input.message);
      requireEnglish(input.message, 'drafts replies in');
      signal?.throwIfAborted();
      return { ...draftReplyLocally(read, classifierFor, input), method: 'template' };
    },
  };
}
