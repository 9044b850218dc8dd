import type { PipelineDefinition } from './pipeline-definition.js';

/** A built-in definition: named, versioned, its steps' `on_failure` left out where it is the default. */
type BuiltInPipeline = Omit<PipelineDefinition, 'steps'> & {
  name: string;
  version: number;
  steps: readonly (Omit<PipelineDefinition['steps'][number], 'on_failure'> & { on_failure?: 'continue' })[];
};

/**
 * The named pipelines this build ships (`POST /v1/pipelines/{name}`). A definition is never edited once
 * released: a change is a new `version` beside the old one; a request without `version` runs the latest.
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
  {
    name: 'document-summary',
    version: 2,
    steps: [
      { id: 'ocr', type: 'ocr.extract', input: { file: '$input.file', languages: '$input.languages' } },
      { id: 'summarize', type: 'llm.summarize', input: { text: '$steps.ocr.output.text' } },
      {
        id: 'store',
        type: 'flow.store',
        input: { data: '$steps.summarize.output', filename: 'summary.json' },
      },
      {
        id: 'notify',
        type: 'flow.notify',
        input: {
          webhook: '$input.webhook',
          email: '$input.email',
          data: {
            run_id: '$run.id',
            summary: '$steps.summarize.output.summary',
            stored: '$steps.store.output.blob',
          },
        },
      },
    ],
    output: {
      text: '$steps.ocr.output.text',
      summary: '$steps.summarize.output.summary',
      stored: '$steps.store.output.blob',
    },
    reports_success: true,
  },
] as const satisfies readonly BuiltInPipeline[];
