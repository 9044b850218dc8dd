// One vitest shape for every project: tests run on TypeScript sources of sibling libs
// (the `@gantry/source` export condition), in node, one file at a time per project so that
// integration tests sharing the real Redis and Postgres never fight over CPU on 2 cores.
export function gantryVitest(root, name, overrides = {}) {
  // Vitest hands ssr conditions to the test process as `node --conditions`: 'import' there would make
  // CommonJS packages (pg → pg-pool) require ESM builds. Vite adds import/require per import itself.
  const conditions = ['@gantry/source', 'node'];
  return {
    root,
    cacheDir: `${root}/../../node_modules/.vite/${name.replace('@gantry/', '')}`,
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@gantry/source'] } },
    test: {
      name,
      watch: false,
      passWithNoTests: true,
      globals: false,
      environment: 'node',
      include: ['src/**/*.test.ts'],
      reporters: ['default'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      env: { ORT_DISABLE_TELEMETRY: '1' },
      ...overrides,
    },
  };
}
