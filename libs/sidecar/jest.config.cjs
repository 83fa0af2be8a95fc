module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'sidecar',
  rootDir: __dirname,
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
};
