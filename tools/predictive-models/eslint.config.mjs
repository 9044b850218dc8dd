import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The root config's `tools/**` exemption does not match paths seen from this folder.
    files: [
      'src/train-default-fraud.ts',
      'src/evaluate-fraud.ts',
      'src/evaluate-recommender.ts',
      'src/evaluate-forecast.ts',
      'src/registry-cli.ts',
    ],
    rules: { 'no-console': 'off' },
  },
];
