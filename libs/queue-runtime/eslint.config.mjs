import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@gantry/control-plane', '@gantry/control-plane/*'],
              message:
                'The runtime joins the control plane through the StartWorkerControl a worker app passes in (worker-control.ts).',
            },
          ],
        },
      ],
    },
  },
];
