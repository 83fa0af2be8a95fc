module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'order',
  rootDir: __dirname,
  // Integration tests start the real `sidecar` command, which runs the compiled runtime.
  globalSetup: '<rootDir>/../../libs/sidecar/test/support/global-setup.cjs',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
};
