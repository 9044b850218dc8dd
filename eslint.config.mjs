import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** NestJS stays behind libs/control-plane's plain API (its eslint config lifts this rule). */
export const nestOnlyInControlPlane = {
  group: ['@nestjs/*'],
  message:
    'NestJS lives in libs/control-plane only: use its plain API (startControlAgent, createControlClient).',
};

const aiEngines = [
  'onnxruntime-node',
  'sharp',
  'tesseract.js',
  'langchain',
  '@langchain/*',
  'node-llama-cpp',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/vitest.config.*.timestamp*', '**/node_modules', 'tmp/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/vitest\\.shared\\.mjs$'],
          depConstraints: [
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: [],
              allowedExternalImports: ['zod', 'vitest'],
            },
            {
              sourceTag: 'type:runtime',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime'],
              bannedExternalImports: aiEngines,
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime', 'type:engine'],
            },
            {
              sourceTag: 'scope:gateway',
              onlyDependOnLibsWithTags: ['scope:shared'],
              bannedExternalImports: aiEngines,
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:ocr',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:ocr', 'scope:imaging'],
            },
            { sourceTag: 'scope:llm', onlyDependOnLibsWithTags: ['scope:shared', 'scope:llm'] },
            {
              sourceTag: 'scope:vision',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:vision', 'scope:imaging'],
            },
            { sourceTag: 'scope:imaging', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:predictive', onlyDependOnLibsWithTags: ['scope:shared', 'scope:predictive'] },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime', 'type:app'],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime', 'type:engine', 'type:app'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['**/vitest.config.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nestOnlyInControlPlane] }] },
  },
  {
    files: ['**/cli.ts', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
];
