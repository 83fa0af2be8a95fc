import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    rules: {
      // An app reaches other apps through its sidecar only, and libraries through their public face.
      'no-restricted-imports': ['error', { patterns: ['@repo/sidecar', '@repo/*/src/*', '../../*/src/*'] }],
    },
  },
];
