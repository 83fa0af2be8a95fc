import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/web/**'],
    rules: {
      // An app reaches other apps through its sidecar only, and libraries through their public face.
      'no-restricted-imports': ['error', { patterns: ['@repo/sidecar', '@repo/*/src/*', '../../*/src/*'] }],
    },
  },
  {
    // The browser runs these modules as compiled, without a bundler: they import each other, and only types
    // from elsewhere (the contracts' DTOs), which compile away.
    files: ['src/web/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@repo/*', '@nestjs/*', 'node:*', '../*'], allowTypeImports: true, message: 'the browser can only load type imports from outside src/web' }] },
      ],
    },
  },
];
