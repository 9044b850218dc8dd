import { GantryError, ModelFeatures } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { AskModelRegistry } from './ask-model-registry.js';

export interface ModelFeaturesCacheOptions {
  logger: Logger;
  /** How long the promoted version's schema (and an unanswered question) is reused; promotions expire it. */
  promotedTtlMs?: number;
  /** How long a submission waits for a worker's answer before it is accepted unchecked. */
  askTimeoutMs?: number;
  /** Schemas kept at most (the oldest goes first): bounds what callers pinning many versions can fill. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  expiresAt: number;
  answer: Promise<ModelFeatures | null>;
}

/**
 * The input feature schemas of registry versions, asked of a live predictive worker and kept. A
 * published version never changes, so its schema is kept until evicted; which version is promoted
 * can change at any time (through any replica, or the CLI), so that answer lives `promotedTtlMs`, and
 * this replica's own promotions and rollbacks drop it at once. The worker checks again at run time.
 *
 * `null`: nobody could say (no worker answered in time, an older worker, nothing promoted yet while a
 * training may be queued); the job is then accepted and checked by the worker.
 */
export class ModelFeaturesCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly ask: AskModelRegistry,
    private readonly options: ModelFeaturesCacheOptions,
  ) {
    this.ttlMs = options.promotedTtlMs ?? 5_000;
    this.timeoutMs = options.askTimeoutMs ?? 2_000;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** The schema of `version` (else the promoted one); rejects `MODEL_VERSION_NOT_FOUND` for an unknown pin. */
  features(name: string, version?: string): Promise<ModelFeatures | null> {
    const key = `${name}@${version ?? ''}`;
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.answer;
    const answer = this.fetch(name, version);
    this.keep(key, answer, now + this.ttlMs);
    void answer.then(
      (features) => {
        if (features) this.keep(`${name}@${features.version}`, answer, Number.POSITIVE_INFINITY);
      },
      () => undefined,
    );
    return answer;
  }

  /** Drops the promoted version of `name`: called after this replica promoted or rolled it back. */
  forgetPromotion(name: string): void {
    this.entries.delete(`${name}@`);
  }

  private keep(key: string, answer: Promise<ModelFeatures | null>, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, { answer, expiresAt });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  private async fetch(name: string, version: string | undefined): Promise<ModelFeatures | null> {
    try {
      const answer = await this.ask(
        { action: 'features', name, ...(version === undefined ? {} : { version }) },
        this.timeoutMs,
      );
      return ModelFeatures.parse(answer);
    } catch (error) {
      if (version !== undefined && error instanceof GantryError && error.code === 'MODEL_VERSION_NOT_FOUND') {
        throw error;
      }
      this.options.logger.debug(
        { model: name, version: version ?? null, err: error },
        'model features unknown at submission; the predictive worker checks the job',
      );
      return null;
    }
  }
}
