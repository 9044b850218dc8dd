import baseConfig from '../../eslint.config.mjs';

// A command-line tool: printing to the terminal is its job.
export default [...baseConfig, { files: ['**/*.ts'], rules: { 'no-console': 'off' } }];
