import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // The one home of NestJS.
  { files: ['**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
];
