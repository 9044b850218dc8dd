import type { ViteUserConfig } from 'vitest/config';
export function gantryVitest(
  root: string,
  name: string,
  overrides?: NonNullable<ViteUserConfig['test']>,
): ViteUserConfig;
