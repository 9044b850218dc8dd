import { builtInPipelines, GantryError } from '@gantry/contracts';

/** A built-in pipeline by name, its latest version unless one is asked for; PIPELINE_NOT_FOUND otherwise. */
export function findBuiltInPipeline(name: string, version?: number): (typeof builtInPipelines)[number] {
  const found = builtInPipelines
    .filter((p) => p.name === name && (version === undefined || p.version === version))
    .sort((a, b) => b.version - a.version)[0];
  if (!found) {
    throw new GantryError(
      'PIPELINE_NOT_FOUND',
      `no pipeline "${name}"${version === undefined ? '' : ` version ${version}`}`,
      {
        details: { known: builtInPipelines.map((p) => ({ name: p.name, version: p.version })) },
      },
    );
  }
  return found;
}
