import type { PipelineDefinition } from '@gantry/contracts';
import { parseReference, referencesIn } from './pipeline-reference.js';

/** Each step's dependencies: the steps its input mapping or `for_each` references. */
export function stepNeeds(definition: PipelineDefinition): Map<string, string[]> {
  return new Map(
    definition.steps.map((step) => {
      const texts = referencesIn(step.input).map(({ text }) => text);
      if (step.for_each !== undefined) texts.push(step.for_each);
      const ids = texts
        .map((text) => parseReference(text))
        .flatMap((reference) => (reference?.source === 'step' ? [reference.step] : []));
      return [step.id, [...new Set(ids)]];
    }),
  );
}
