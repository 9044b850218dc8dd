import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // The one home of Redis keys and channels.
  { files: ['**/*.ts'], rules: { 'gantry/redis-keys-in-job-state': 'off' } },
];
