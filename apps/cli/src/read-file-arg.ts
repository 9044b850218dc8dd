import { fileFromPath } from '@gantry/client';
import { UsageError } from './exit-codes.js';

/** The `[file]` argument of `run` and `pipelines run`, read for upload. */
export async function readFileArg(file: string | undefined): Promise<File | undefined> {
  if (file === undefined) return undefined;
  try {
    return await fileFromPath(file);
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
}
