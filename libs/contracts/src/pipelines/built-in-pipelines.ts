import type { PipelineDefinition } from './pipeline-definition.js';

/**
 * The named pipelines this build ships (`POST /v1/pipelines/{name}`). A definition is never edited once
 * released: a change is a new `version` beside the old one.
 */
export const builtInPipelines = [
  {
    name: 'document-summary',
    version: 1,
    steps: [
      { id: 'ocr', type: 'ocr.extract', input: { file: '$input.file', languages: '$input.languages' } },
      { id: 'summarize', type: 'llm.summarize', input: { text: '$steps.ocr.output.text' } },
    ],
    output: { text: '$steps.ocr.output.text', summary: '$steps.summarize.output.summary' },
  },
] as const satisfies readonly (Omit<PipelineDefinition, 'steps'> & {
  name: string;
  version: number;
  steps: readonly (Omit<PipelineDefinition['steps'][number], 'on_failure'> & { on_failure?: 'continue' })[];
})[];
