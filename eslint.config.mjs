import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * NestJS stays behind libs/control-plane's plain API (its eslint config lifts this rule). It is given
 * to typescript-eslint's copy of no-restricted-imports, so that a project restricting imports of its
 * own with the core rule (libs/client, libs/queue-runtime) adds to it rather than replacing it.
 */
const nestOnlyInControlPlane = {
  group: ['@nestjs/*'],
  message:
    'NestJS lives in libs/control-plane only: use its plain API (startControlAgent, createControlClient).',
};

/**
 * No Redis key or channel spelled outside libs/job-state (its eslint config lifts this rule): a name
 * put after an installation's prefix (`${prefix}:worker:${id}`, `${keys.bullPrefix}:${queue}`) belongs in
 * job-state's redis-keys.ts or control-plane-keys.ts, which every process imports. `${prefix}:*` and a
 * trailing `${prefix}:` pass: they match every key of an installation (cleanup), they name none.
 * Written here rather than in a file of its own so that Nx's lint cache, which hashes this file, sees
 * a change to the rule. Test files may spell keys to check what the code wrote.
 */
const redisKeysInJobState = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      spelled:
        'A Redis key or channel is named in libs/job-state only: add it to redisKeys or controlPlaneKeys.',
    },
  },
  create(context) {
    return {
      TemplateLiteral(node) {
        node.expressions.forEach((expression, index) => {
          if (!/prefix/i.test(context.sourceCode.getText(expression))) return;
          const after = node.quasis[index + 1]?.value.raw ?? '';
          const nameFollows = index + 1 < node.expressions.length;
          if (/^:[A-Za-z]/.test(after) || (after === ':' && nameFollows)) {
            context.report({ node: expression, messageId: 'spelled' });
          }
        });
      },
    };
  },
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
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [nestOnlyInControlPlane] }] },
  },
  { plugins: { gantry: { rules: { 'redis-keys-in-job-state': redisKeysInJobState } } } },
  {
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', '**/src/testing/**'],
    rules: { 'gantry/redis-keys-in-job-state': 'error' },
  },
  {
    files: ['**/cli.ts', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
];
