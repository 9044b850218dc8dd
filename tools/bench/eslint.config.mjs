import baseConfig from '../../eslint.config.mjs';

// A command-line tool: printing to the terminal is its job.
export default [
  ...baseConfig,
  { files: ['**/*.ts'], rules: { 'no-console': 'off' } },
  // The bare and fair baselines are not Gantry: the BullMQ prefix they give their queues is their own.
  {
    files: ['src/bare-*.ts', 'src/fair-*.ts'],
    rules: { 'gantry/redis-keys-in-job-state': 'off' },
  },
];
