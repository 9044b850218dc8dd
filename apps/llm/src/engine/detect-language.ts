import { GantryError } from '@gantry/contracts';
import { type FastTextModel, getLIDModel } from 'fasttext.wasm.js';

export interface LanguageGuess {
  /** The code of fastText's lid.176 model: ISO 639-1 ("en", "de") where the language has one. */
  language: string;
  /** fastText's probability for that language, 0..1. */
  confidence: number;
}

export type DetectLanguage = (text: string) => LanguageGuess | null;

/**
 * Loads fastText's language identification model (lid.176, 176 languages), shipped inside the
 * `fasttext.wasm.js` package and run as WebAssembly: offline, no native build. It is far more
 * reliable on short texts than trigram detectors ("not bad at all" is Swedish to franc).
 */
export async function loadLanguageDetector(): Promise<DetectLanguage> {
  let model: FastTextModel;
  try {
    model = await (await getLIDModel()).load();
  } catch (error) {
    throw new GantryError('MODEL_UNAVAILABLE', 'The fastText language identification model failed to load', {
      details: { model: 'fasttext-lid.176' },
      cause: error,
    });
  }
  return (text) => {
    // fastText reads one line; its prediction vector lives on the wasm heap and must be freed.
    const predictions = model.predict(text.replace(/\s+/g, ' ').trim(), 1, 0);
    try {
      if (predictions.size() === 0) return null;
      const [confidence, label] = predictions.get(0);
      return { language: label.replace('__label__', ''), confidence };
    } finally {
      predictions.delete();
    }
  };
}

/** The language of a text as an output reports it: null when it has no letters to tell by. */
export function languageOf(detect: DetectLanguage, text: string): string | null {
  if (!/\p{L}/u.test(text)) return null;
  return detect(text.slice(0, 5_000))?.language ?? null;
}
