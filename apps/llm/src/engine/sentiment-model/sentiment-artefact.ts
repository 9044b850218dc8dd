import { z } from 'zod';
import { sentimentLabels } from './sentiment-labels.js';

export const sentimentArtefactFormat = 'gantry-sentiment-linear/1';

const ClassReport = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});

/**
 * The trained model as the training tool writes it and the embedded provider loads it: a
 * multinomial logistic regression over hashed features. Only slots seen in training have weights,
 * stored as parallel arrays (`slots[i]` has `weights[i * 3 .. i * 3 + 2]`, in `labels` order).
 */
export const SentimentArtefact = z.object({
  format: z.literal(sentimentArtefactFormat),
  name: z.string(),
  version: z.string(),
  labels: z.tuple([
    z.literal(sentimentLabels[0]),
    z.literal(sentimentLabels[1]),
    z.literal(sentimentLabels[2]),
  ]),
  features: z.object({
    version: z.number().int(),
    hashBits: z.number().int().min(8).max(26),
    charNgrams: z.object({ min: z.number().int().positive(), max: z.number().int().positive() }),
    weights: z.object({
      word: z.number(),
      bigram: z.number(),
      char: z.number(),
      cue: z.number(),
      lexicon: z.number(),
      vader: z.number(),
    }),
  }),
  bias: z.array(z.number()).length(3),
  slots: z.array(z.number().int().nonnegative()),
  weights: z.array(z.number()),
  training: z.object({
    corpusSha256: z.string().length(64),
    examples: z.number().int(),
    heldOut: z.number().int(),
    l2: z.number(),
    optimiser: z.string(),
    iterations: z.number().int(),
    objective: z.number(),
  }),
  evaluation: z.object({
    heldOutAccuracy: z.number(),
    macroF1: z.number(),
    classes: z.record(z.string(), ClassReport),
  }),
});
export type SentimentArtefact = z.infer<typeof SentimentArtefact>;
