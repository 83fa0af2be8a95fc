import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    rules: {
      // A shared library knows no app, no contract and not the runtime: only Dapr's HTTP API.
      'no-restricted-imports': ['error', { patterns: ['@repo/*'] }],
    },
  },
];
