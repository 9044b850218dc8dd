import { fileURLToPath } from 'node:url';

/** The repository root: docker/, k8s/ and ops/ are read from there. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
