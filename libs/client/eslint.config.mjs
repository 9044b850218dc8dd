import baseConfig from '../../eslint.config.mjs';

/** The browser entry and what it imports run in browsers: Node's modules only in the Node entry. */
export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/index.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:',
              message: 'the browser entry runs in browsers: Node modules belong in src/index.ts only',
            },
          ],
        },
      ],
    },
  },
];
