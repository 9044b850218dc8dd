import { readFile } from 'node:fs/promises';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { defineJob, jobCatalogue, jobJsonSchemas } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobCatalogue } from '../catalogue/job-catalogue.js';
import { committedOpenApiPath, committedOpenApiText } from './committed-openapi.js';
import { buildOpenApi } from './openapi-document.js';
import { schemaNameOf } from './schema-components.js';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: {
    content: Record<string, { schema: unknown; examples?: Record<string, { value: unknown }> }>;
  };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: object } };

const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

describe('the OpenAPI document', () => {
  const document = buildOpenApi(new JobCatalogue(), '0.0.0') as unknown as Document;

  it('passes Redocly’s recommended rules with no error and no warning', async () => {
    const config = await createConfig({
      extends: ['recommended'],
      // Probes answer 200 or 503 and nothing else: no 4xx to declare.
      rules: { 'operation-4xx-response': 'off' },
    });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: '/openapi.json',
      config,
    });
    const found = problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
    expect(found).toEqual([]);
  });

  it('has one operation per job type, with its own input, output and job schemas', () => {
    for (const contract of jobCatalogue) {
      const name = schemaNameOf(contract.type);
      const create = document.paths[`/v1/jobs/${contract.type}`]?.['post'];
      expect(create?.operationId).toBe(`create${name}Job`);
      expect(document.components.schemas).toHaveProperty(`${name}Input`);
      expect(document.components.schemas).toHaveProperty(`${name}Output`);
      expect(create?.responses['202']?.content?.['application/json']?.schema).toEqual({
        $ref: `#/components/schemas/${name}Job`,
      });
    }
  });

  it('declares every path parameter and names every operation once', () => {
    const ids = operations(document).map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, operation } of operations(document)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared, path).toEqual(inPath);
    }
  });

  it('gives each built-in type a request example its contract accepts', () => {
    for (const contract of jobCatalogue) {
      const body = document.paths[`/v1/jobs/${contract.type}`]?.['post']?.requestBody;
      const examples = Object.values(body?.content['application/json']?.examples ?? {});
      expect(
        examples.length,
        `${contract.type} has no example: add \`examples\` to its defineJob`,
      ).toBeGreaterThan(0);
      for (const { value } of examples) {
        expect(contract.input.safeParse((value as { input: unknown }).input).success).toBe(true);
      }
    }
  });

  it('leaves out an example its contract refuses rather than show one that fails', () => {
    const contract = defineJob({
      type: 'text.count',
      queue: 'text',
      summary: 'Counts words',
      input: z.object({ text: z.string().min(3) }),
      output: z.object({ words: z.number() }),
      examples: [{ text: 'x' }, { text: 'one two' }],
    });
    const own = buildOpenApi(new JobCatalogue([contract]), '0.0.0') as unknown as Document;
    const examples =
      own.paths['/v1/jobs/text.count']?.['post']?.requestBody?.content['application/json']?.examples;
    expect(Object.values(examples ?? {}).map((e) => e.value)).toEqual([{ input: { text: 'one two' } }]);
  });

  it('documents a type a live worker announced like a built-in one, example included', () => {
    const announced = defineJob({
      type: 'team.summarize.v2',
      queue: 'team',
      summary: 'Summarizes',
      input: z.object({ text: z.string() }),
      output: z.object({ summary: z.string() }),
      examples: [{ text: 'A long text.' }],
    });
    const catalogue = new JobCatalogue([]);
    const schemas = jobJsonSchemas(announced);
    catalogue.updateAnnounced([
      {
        type: announced.type,
        queue: announced.queue,
        summary: announced.summary,
        input_schema: schemas.input,
        output_schema: schemas.output,
        defaults: { attempts: 1, backoff_ms: 10, timeout_ms: 1_000 },
        errors: [],
        accepts: [],
      },
    ]);
    const own = buildOpenApi(catalogue, '0.0.0') as unknown as Document;
    const create = own.paths['/v1/jobs/team.summarize.v2']?.['post'];
    expect(create?.operationId).toBe('createTeamSummarizeV2Job');
    expect(own.components.schemas).toHaveProperty('TeamSummarizeV2Output');
    expect(create?.requestBody?.content['application/json']?.examples).toEqual({
      example1: { value: { input: { text: 'A long text.' } } },
    });
  });

  it('is the committed apps/gateway/openapi.json', async () => {
    const committed = await readFile(committedOpenApiPath, 'utf8').catch(() => '');
    expect(
      committed === committedOpenApiText(),
      'apps/gateway/openapi.json is stale: a contract or route changed. Run `npm run openapi` and commit the file.',
    ).toBe(true);
  });
});
