import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // Contracts are plain types and constants: they import nothing.
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', '@repo/*'] }],
    },
  },
];
