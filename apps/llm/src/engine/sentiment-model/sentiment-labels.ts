/** The classes in the order of the model's weight columns and probability vectors. */
export const sentimentLabels = ['negative', 'neutral', 'positive'] as const;

export type SentimentLabel = (typeof sentimentLabels)[number];

export const isSentimentLabel = (value: unknown): value is SentimentLabel =>
  typeof value === 'string' && (sentimentLabels as readonly string[]).includes(value);
