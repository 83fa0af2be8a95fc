module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'nest-dapr',
  rootDir: __dirname,
  // The tests start the real `sidecar` command, which runs the compiled runtime.
  globalSetup: '<rootDir>/../sidecar/test/support/global-setup.cjs',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
};
