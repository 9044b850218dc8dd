import { type AnnouncedJobType, type JobContract, jobCatalogue, jobJsonSchemas } from '@gantry/contracts';
import { z } from 'zod';
import type { CatalogueEntry, ValidationResult } from './catalogue-entry.js';

const toIssues = (error: z.ZodError) =>
  error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
    code: issue.code,
  }));

const validator =
  (schema: z.ZodType) =>
  (input: unknown): ValidationResult => {
    const result = schema.safeParse(input);
    return result.success ? { ok: true, value: result.data } : { ok: false, issues: toIssues(result.error) };
  };

/** Fields whose schema is marked `gantry: "<mark>"` (directly or through a `$ref`). */
function fieldsMarked(schema: Record<string, unknown>, mark: 'blob' | 'job-output'): string[] {
  const defs = (schema['$defs'] ?? {}) as Record<string, Record<string, unknown>>;
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties)
    .filter(([, property]) => {
      const ref =
        typeof property['$ref'] === 'string' ? defs[property['$ref'].split('/').pop() ?? ''] : undefined;
      return property['gantry'] === mark || ref?.['gantry'] === mark;
    })
    .map(([name]) => name);
}

function entryFromContract(contract: JobContract): CatalogueEntry {
  const { input: inputSchema, output: outputSchema } = jobJsonSchemas(contract);
  return {
    type: contract.type,
    queue: contract.queue,
    summary: contract.summary,
    defaults: contract.defaults,
    errors: contract.errors,
    accepts: contract.accepts,
    inputSchema,
    outputSchema,
    blobFields: fieldsMarked(inputSchema, 'blob'),
    jobOutputFields: fieldsMarked(inputSchema, 'job-output'),
    source: 'built-in',
    validate: validator(contract.input),
  };
}

function entryFromAnnouncement(announced: AnnouncedJobType): CatalogueEntry {
  return {
    type: announced.type,
    queue: announced.queue,
    summary: announced.summary,
    defaults: {
      attempts: announced.defaults.attempts,
      backoffMs: announced.defaults.backoff_ms,
      timeoutMs: announced.defaults.timeout_ms,
    },
    errors: announced.errors,
    accepts: announced.accepts,
    inputSchema: announced.input_schema,
    outputSchema: announced.output_schema,
    blobFields: fieldsMarked(announced.input_schema, 'blob'),
    jobOutputFields: fieldsMarked(announced.input_schema, 'job-output'),
    source: 'announced',
    validate: validator(z.fromJSONSchema(announced.input_schema as Parameters<typeof z.fromJSONSchema>[0])),
  };
}

/**
 * The union of the contracts this gateway was built with and the job types live workers
 * announce: a worker team can ship a new type (or `type.v2`) without a gateway release.
 * Built-in contracts win over announcements of the same type.
 */
export class JobCatalogue {
  private readonly builtIn: Map<string, CatalogueEntry>;
  private readonly announced = new Map<string, { entry: CatalogueEntry; schema: string; seenAt: number }>();
  private lastOnDemandRefresh = 0;
  private asking: Promise<void> | null = null;

  /**
   * @param retentionMs how long an announced type outlives its last worker: jobs for it are still
   *   accepted (and wait, saying why) while its workers restart or scale from zero.
   */
  constructor(
    contracts: readonly JobContract[] = jobCatalogue,
    private readonly retentionMs = 15 * 60_000,
  ) {
    this.builtIn = new Map(contracts.map((contract) => [contract.type, entryFromContract(contract)]));
  }

  get(type: string): CatalogueEntry | undefined {
    return this.builtIn.get(type) ?? this.announced.get(type)?.entry;
  }

  /**
   * Like `get`, but a type it does not know yet sends it to the worker registry first (at most once
   * a second), so a worker that announced a new type a moment ago is served without waiting for the
   * periodic refresh.
   */
  async resolve(type: string, announcements: () => Promise<void>): Promise<CatalogueEntry | undefined> {
    const known = this.get(type);
    if (known) return known;
    await this.askRegistry(announcements);
    return this.get(type);
  }

  /**
   * `list`, after asking the worker registry (at most once a second, as `resolve` does), so a worker
   * that announced its types a moment ago is listed without waiting for the periodic refresh. A registry
   * that cannot answer leaves the list as last known.
   */
  async listFresh(announcements: () => Promise<void>): Promise<CatalogueEntry[]> {
    await this.askRegistry(announcements).catch(() => undefined);
    return this.list();
  }

  /**
   * One registry read at most once a second. Requests that arrive while it runs wait for it rather than
   * answering from the catalogue it is about to update: a burst of submissions of a type announced a
   * moment ago would otherwise see one request served and the rest refused as unknown.
   */
  private askRegistry(announcements: () => Promise<void>): Promise<void> {
    if (!this.asking && Date.now() - this.lastOnDemandRefresh >= 1_000) {
      this.lastOnDemandRefresh = Date.now();
      this.asking = announcements().finally(() => (this.asking = null));
    }
    return this.asking ?? Promise.resolve();
  }

  list(): CatalogueEntry[] {
    const merged = new Map([
      ...[...this.announced].map(([type, { entry }]) => [type, entry] as const),
      ...this.builtIn,
    ]);
    return [...merged.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  /** Takes in the types live workers announce now; a schema is only rebuilt when it changes. */
  updateAnnounced(types: readonly AnnouncedJobType[], now = Date.now()): void {
    for (const announced of types) {
      if (this.builtIn.has(announced.type)) continue;
      const schema = JSON.stringify(announced.input_schema);
      const known = this.announced.get(announced.type);
      if (known?.schema === schema) {
        known.seenAt = now;
        continue;
      }
      try {
        this.announced.set(announced.type, { entry: entryFromAnnouncement(announced), schema, seenAt: now });
      } catch {
        // A schema zod cannot read is skipped rather than taking the catalogue down.
      }
    }
    for (const [type, { seenAt }] of this.announced) {
      if (now - seenAt > this.retentionMs) this.announced.delete(type);
    }
  }
}
