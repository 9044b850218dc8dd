import { type AnnouncedJobType, defineJob } from '@gantry/contracts';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { JobCatalogue } from './job-catalogue.js';

const builtIn = defineJob({
  type: 'text.shout',
  queue: 'text',
  summary: 'Upper-cases text',
  input: z.object({ text: z.string().min(1) }),
  output: z.object({ text: z.string() }),
});

const announced = (type: string, maxLength = 5): AnnouncedJobType => ({
  type,
  queue: 'text',
  summary: 'announced',
  input_schema: z.toJSONSchema(z.object({ text: z.string().max(maxLength) })) as Record<string, unknown>,
  output_schema: {},
  defaults: { attempts: 1, backoff_ms: 10, timeout_ms: 1_000 },
  errors: [],
  accepts: [],
});

describe('JobCatalogue', () => {
  it('validates built-in types with their zod contract', () => {
    const catalogue = new JobCatalogue([builtIn]);
    expect(catalogue.get('text.shout')?.validate({ text: 'hi' })).toEqual({
      ok: true,
      value: { text: 'hi' },
    });
    expect(catalogue.get('text.shout')?.validate({ text: '' })).toMatchObject({
      ok: false,
      issues: [{ path: ['text'] }],
    });
  });

  it('validates announced types from their JSON schema, and built-in contracts win', () => {
    const catalogue = new JobCatalogue([builtIn]);
    catalogue.updateAnnounced([
      announced('text.whisper'),
      { ...announced('text.shout'), summary: 'impostor' },
    ]);
    expect(catalogue.get('text.whisper')?.validate({ text: 'toolong' })).toMatchObject({ ok: false });
    expect(catalogue.get('text.whisper')?.source).toBe('announced');
    expect(catalogue.get('text.shout')?.summary).toBe('Upper-cases text');
    expect(catalogue.list().map((e) => e.type)).toEqual(['text.shout', 'text.whisper']);
  });

  it('keeps an announced type while its workers restart, forgets it after the retention', () => {
    const catalogue = new JobCatalogue([], 60_000);
    catalogue.updateAnnounced([announced('text.whisper')], 0);
    catalogue.updateAnnounced([], 30_000);
    expect(catalogue.get('text.whisper')).toBeDefined();
    catalogue.updateAnnounced([], 90_000);
    expect(catalogue.get('text.whisper')).toBeUndefined();
  });

  it('lists a type announced a moment ago, asking the registry at most once a second', async () => {
    const catalogue = new JobCatalogue([builtIn]);
    let asked = 0;
    const announcements = async () => {
      asked += 1;
      catalogue.updateAnnounced([announced('text.whisper')]);
    };
    expect((await catalogue.listFresh(announcements)).map((entry) => entry.type)).toEqual([
      'text.shout',
      'text.whisper',
    ]);
    await catalogue.listFresh(announcements);
    expect(asked).toBe(1);
    // A registry that cannot answer leaves the list as last known.
    const down = new JobCatalogue([builtIn]);
    await expect(down.listFresh(() => Promise.reject(new Error('redis down')))).resolves.toHaveLength(1);
  });

  it('answers every request of a burst for a type just announced, with one registry read', async () => {
    const catalogue = new JobCatalogue([builtIn]);
    let asked = 0;
    const announcements = async () => {
      asked += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      catalogue.updateAnnounced([announced('text.whisper')]);
    };
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => catalogue.resolve('text.whisper', announcements)),
    );
    expect(burst.map((entry) => entry?.type)).toEqual(Array(8).fill('text.whisper'));
    expect(asked).toBe(1);
  });

  it('rebuilds an announced type whose schema changed', () => {
    const catalogue = new JobCatalogue([]);
    catalogue.updateAnnounced([announced('text.whisper', 5)]);
    catalogue.updateAnnounced([announced('text.whisper', 50)]);
    expect(catalogue.get('text.whisper')?.validate({ text: 'now long enough' })).toMatchObject({ ok: true });
  });
});
