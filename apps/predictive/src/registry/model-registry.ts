import { createHash, randomUUID } from 'node:crypto';
import { appendFile, link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GantryError, type ModelActor } from '@gantry/contracts';
import { type ManifestDraft, ModelManifest, PromotionState } from './model-manifest.js';

export interface ResolvedModel {
  manifest: ModelManifest;
  /** Absolute path of the model file. */
  file: string;
}

export interface ModelRegistry {
  /** The model names with at least one directory, sorted. */
  names(): Promise<string[]>;
  /** Every version of a model name, oldest first, and the promoted one. */
  list(name: string): Promise<{ promoted: string | null; versions: ModelManifest[] }>;
  /** The promotion of a model name, or null while none is promoted. */
  promotion(name: string): Promise<PromotionState | null>;
  /** The pinned version, else the promoted one; throws MODEL_VERSION_NOT_FOUND. */
  resolve(name: string, version?: string): Promise<ResolvedModel>;
  /** Stores a new version; the first version of a name is promoted at once. */
  publish(draft: ManifestDraft, bytes: Uint8Array, extension: string): Promise<ModelManifest>;
  /** `by`: who asked (an API key), kept in the promotion and in the name's `promotions.jsonl` audit log. */
  promote(name: string, version: string, by?: ModelActor): Promise<PromotionState>;
  /** Promotes the version promoted before the current one. */
  rollback(name: string, by?: ModelActor): Promise<PromotionState>;
}

const versionPattern = /^[0-9]{1,9}$/;
const namePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const promotedFile = 'promoted.json';
const auditFile = 'promotions.jsonl';

/**
 * A directory of versioned models: `<dir>/<name>/<version>/{manifest.json, model.*}` and
 * `<dir>/<name>/promoted.json`. Every process reads the promotion file on each resolve, so a promotion
 * or a rollback reaches running engines at their next job without a restart. Writes go through a
 * temporary file and a rename, so a reader never sees half a file.
 */
export function createModelRegistry(dir: string): ModelRegistry {
  const nameDir = (name: string) => path.join(dir, name);
  const versionDir = (name: string, version: string) => path.join(dir, name, version);

  const readPromotion = async (name: string): Promise<PromotionState | null> => {
    const text = await readFile(path.join(nameDir(name), promotedFile), 'utf8').catch(() => null);
    return text === null ? null : PromotionState.parse(JSON.parse(text));
  };

  // A version never changes once its manifest is written, so each is read and parsed once per process.
  const manifests = new Map<string, ModelManifest>();
  const readManifest = async (name: string, version: string): Promise<ModelManifest | null> => {
    if (!versionPattern.test(version)) return null;
    const key = `${name}@${version}`;
    const cached = manifests.get(key);
    if (cached) return cached;
    const text = await readFile(path.join(versionDir(name, version), 'manifest.json'), 'utf8').catch(
      () => null,
    );
    const manifest = text === null ? null : ModelManifest.parse(JSON.parse(text));
    if (manifest) manifests.set(key, manifest);
    return manifest;
  };

  const versionsOf = async (name: string): Promise<string[]> => {
    const entries = await readdir(nameDir(name), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory() && versionPattern.test(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => Number(a) - Number(b));
  };

  // `exclusive`: only if the file does not exist yet (a hard link fails then), else replaced.
  const writeAtomically = async (file: string, text: string, exclusive = false) => {
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(temporary, text);
    if (!exclusive) return rename(temporary, file);
    try {
      await link(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary);
    }
  };

  const notFound = (name: string, version: string | undefined, known: string[]) =>
    new GantryError(
      'MODEL_VERSION_NOT_FOUND',
      version === undefined
        ? `no version of model ${name} is promoted yet; train one first`
        : `model ${name} has no version ${version}`,
      { details: { name, version: version ?? null, versions: known } },
    );

  const setPromotion = async (
    name: string,
    version: string,
    previous: string[],
    change: { action: 'publish' | 'promote' | 'rollback'; by: ModelActor | null; from: string | null },
  ) => {
    const state: PromotionState = {
      version,
      previous,
      changed_at: new Date().toISOString(),
      changed_by: change.by,
    };
    await writeAtomically(
      path.join(nameDir(name), promotedFile),
      `${JSON.stringify(state, null, 2)}\n`,
      change.action === 'publish',
    );
    // The audit log only grows: who moved the promotion from which version to which, and when.
    const entry = {
      action: change.action,
      from: change.from,
      to: version,
      by: change.by,
      at: state.changed_at,
    };
    await appendFile(path.join(nameDir(name), auditFile), `${JSON.stringify(entry)}\n`);
    return state;
  };

  return {
    async names() {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      return entries
        .filter((entry) => entry.isDirectory() && namePattern.test(entry.name))
        .map((entry) => entry.name)
        .sort();
    },

    async list(name) {
      const versions = await versionsOf(name);
      const manifests = await Promise.all(versions.map((version) => readManifest(name, version)));
      return {
        promoted: (await readPromotion(name))?.version ?? null,
        versions: manifests.filter((manifest) => manifest !== null),
      };
    },

    promotion: (name) => readPromotion(name),

    async resolve(name, version) {
      const chosen = version ?? (await readPromotion(name))?.version;
      const manifest = chosen === undefined ? null : await readManifest(name, chosen);
      if (!manifest) throw notFound(name, version, await versionsOf(name));
      return { manifest, file: path.join(versionDir(name, manifest.version), manifest.file) };
    },

    async publish(draft, bytes, extension) {
      await mkdir(nameDir(draft.name), { recursive: true });
      // Concurrent trainers race for the next number; mkdir is the lock, the loser lists again and retries.
      for (let attempt = 0; ; attempt += 1) {
        const existing = await versionsOf(draft.name);
        const version = String(Number(existing.at(-1) ?? 0) + 1);
        try {
          await mkdir(versionDir(draft.name, version));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
          throw error;
        }
        const file = `model.${extension}`;
        await writeFile(path.join(versionDir(draft.name, version), file), bytes);
        const manifest: ModelManifest = {
          ...draft,
          version,
          file,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          created_at: new Date().toISOString(),
        };
        // The manifest comes last: a version without one is not yet in the registry.
        await writeAtomically(
          path.join(versionDir(draft.name, version), 'manifest.json'),
          `${JSON.stringify(manifest, null, 2)}\n`,
        );
        // The first version to get here is promoted; concurrent first versions do not overwrite it.
        if (!(await readPromotion(draft.name))) {
          await setPromotion(draft.name, version, [], { action: 'publish', by: null, from: null });
        }
        return manifest;
      }
    },

    async promote(name, version, by) {
      if (!(await readManifest(name, version))) throw notFound(name, version, await versionsOf(name));
      const current = await readPromotion(name);
      if (current?.version === version) return current;
      return setPromotion(name, version, current ? [...current.previous, current.version] : [], {
        action: 'promote',
        by: by ?? null,
        from: current?.version ?? null,
      });
    },

    async rollback(name, by) {
      const current = await readPromotion(name);
      const back = current?.previous.at(-1);
      if (!current || back === undefined) {
        throw new GantryError('MODEL_VERSION_NOT_FOUND', `model ${name} has no earlier promoted version`, {
          details: { name, promoted: current?.version ?? null },
        });
      }
      return setPromotion(name, back, current.previous.slice(0, -1), {
        action: 'rollback',
        by: by ?? null,
        from: current.version,
      });
    },
  };
}

/** Verifies a model file against its manifest before an engine loads it. */
export async function readVerifiedModel(model: ResolvedModel): Promise<Buffer> {
  const bytes = await readFile(model.file).catch(() => null);
  const sha256 = bytes && createHash('sha256').update(bytes).digest('hex');
  if (!bytes || sha256 !== model.manifest.sha256) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `model ${model.manifest.name}@${model.manifest.version} is ${bytes ? 'corrupt (checksum mismatch)' : 'missing'}`,
      { details: { name: model.manifest.name, version: model.manifest.version } },
    );
  }
  return bytes;
}
