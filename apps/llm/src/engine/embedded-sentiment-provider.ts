import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GantryError } from '@gantry/contracts';
import { type DetectLanguage, loadLanguageDetector } from './detect-language.js';
import type { SentimentProvider, SentimentResult } from './sentiment-provider.js';
import { requireText } from './text-refusal.js';
import {
  featureVersion,
  LinearSentimentModel,
  mostProbableLabel,
  SentimentArtefact,
} from './sentiment-model/index.js';

/**
 * Where `nx run @gantry/sentiment-model:train` writes the artefact (this file sits at the same
 * depth under src/ and dist/, so the path holds for both). Deployments point `modelPath` elsewhere.
 */
export const defaultSentimentModelPath = fileURLToPath(
  new URL('../../../../tools/sentiment-model/dist/model/sentiment-en.json', import.meta.url),
);

export interface EmbeddedSentimentOptions {
  /** The JSON artefact written by the sentiment-model tool; `defaultSentimentModelPath` when left out. */
  modelPath?: string;
  /**
   * A text is reported as another language, and left unclassified, only when fastText names a
   * language other than English with at least this probability. Below it (short texts, slang,
   * product names) the text is read as English: a wrong "unsupported" hides a real complaint.
   */
  minLanguageConfidence?: number;
}

/** Texts with fewer letters than this are too short to identify a language by; they are read as English. */
const minLettersForLanguage = 12;

const trainHint =
  'build it with `npx nx run @gantry/sentiment-model:train` or point modelPath at a built artefact';

async function loadArtefact(file: string) {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new GantryError('MODEL_UNAVAILABLE', `Sentiment model ${file} cannot be read; ${trainHint}`, {
      details: { file },
      cause: error,
    });
  }
  let parsed: ReturnType<typeof SentimentArtefact.safeParse>;
  try {
    parsed = SentimentArtefact.safeParse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    throw new GantryError('MODEL_UNAVAILABLE', `Sentiment model ${file} is not JSON; ${trainHint}`, {
      details: { file },
      cause: error,
    });
  }
  if (!parsed.success) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `Sentiment model ${file} is not a sentiment artefact; ${trainHint}`,
      {
        details: { file, issues: parsed.error.issues.slice(0, 5) },
      },
    );
  }
  if (parsed.data.features.version !== featureVersion) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `Sentiment model ${file} was trained on features v${parsed.data.features.version}, this build computes v${featureVersion}; ${trainHint}`,
      { details: { file } },
    );
  }
  return { artefact: parsed.data, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

function readAs(detect: DetectLanguage, text: string, minConfidence: number) {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return { language: null, supported: true };
  if (letters < minLettersForLanguage) return { language: 'en', supported: true };
  const guess = detect(text);
  if (guess === null || guess.language === 'en' || guess.confidence < minConfidence) {
    return { language: 'en', supported: true };
  }
  return { language: guess.language, supported: false };
}

/**
 * The default `llm.sentiment` engine: a softmax classifier trained on the project's own labelled
 * corpus of English customer texts (tools/sentiment-model), about a millisecond per text on a CPU.
 */
export async function loadEmbeddedSentimentProvider({
  modelPath = defaultSentimentModelPath,
  minLanguageConfidence = 0.5,
}: EmbeddedSentimentOptions = {}): Promise<SentimentProvider> {
  const [{ artefact, sha256 }, detect] = await Promise.all([loadArtefact(modelPath), loadLanguageDetector()]);
  const model = LinearSentimentModel.fromArtefact(artefact);
  return {
    model: { name: artefact.name, version: artefact.version, sha256 },
    async analyze(text, { signal } = {}): Promise<SentimentResult> {
      signal?.throwIfAborted();
      requireText(text);
      const { language, supported } = readAs(detect, text, minLanguageConfidence);
      if (!supported)
        return { label: 'neutral', score: 0, confidence: 0, language, language_supported: false };
      const probabilities = model.probabilities(text);
      const label = mostProbableLabel(probabilities);
      const [negative, neutral, positive] = probabilities;
      return {
        label,
        score: round4(positive - negative),
        confidence: round4(Math.max(negative, neutral, positive)),
        language,
        language_supported: true,
      };
    },
  };
}
