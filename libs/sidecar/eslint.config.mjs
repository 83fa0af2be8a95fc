import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // The runtime must stay framework-free: no NestJS, no app code.
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', '@repo/nest-dapr', '@repo/contracts'] }],
    },
  },
];
