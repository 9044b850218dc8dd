import type { LabelDefinition, TokenUsage } from '@gantry/contracts';
import type { GenerativeProvider } from '../providers/generative-provider.js';
import { askForObject } from './ask-for-object.js';

/** Examples shown per label: enough to pin a label's meaning, few enough to keep the prompt short. */
const examplesPerLabel = 3;

interface LabelScores {
  /** Each label's score as the model gave it, 0..1, in the caller's order. */
  scores: { name: string; score: number }[];
  usage: TokenUsage;
}

function describeLabel({ name, description, examples }: LabelDefinition): string {
  const parts = [`- ${name}`];
  if (description) parts.push(`: ${description}`);
  const shown = (examples ?? []).slice(0, examplesPerLabel);
  if (shown.length > 0) parts.push(` (e.g. ${shown.map((e) => JSON.stringify(e)).join('; ')})`);
  return parts.join('');
}

/**
 * Zero-shot: the model rates, for each of the caller's labels, how likely the text carries it, as
 * structured output whose schema names every label (so none is skipped or invented). Descriptions
 * and a few examples, where given, go into the prompt; none are required.
 */
export async function scoreLabels(
  provider: GenerativeProvider,
  text: string,
  labels: readonly LabelDefinition[],
  options: { signal?: AbortSignal },
): Promise<LabelScores> {
  const names = labels.map((label) => label.name);
  const schema = {
    type: 'object',
    properties: {
      scores: {
        type: 'object',
        properties: Object.fromEntries(
          names.map((name) => [name, { type: 'number', minimum: 0, maximum: 1 }]),
        ),
        required: names,
        additionalProperties: false,
      },
    },
    required: ['scores'],
    additionalProperties: false,
  };
  const { data, usage } = await askForObject(
    provider,
    {
      system:
        'You classify texts. For each label, give the probability from 0 to 1 that the text carries it, judging each label on its own.',
      user: `Labels:\n${labels.map(describeLabel).join('\n')}\n\n<text>\n${text}\n</text>`,
      schema,
    },
    { ...options, maxTokens: 32 + 16 * names.length },
  );
  const given = data['scores'] as Record<string, number>;
  return { scores: names.map((name) => ({ name, score: given[name] as number })), usage };
}
