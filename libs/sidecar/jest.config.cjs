module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'sidecar',
  rootDir: __dirname,
  // Most of these tests wait on sockets, brokers and child processes rather than the CPU: two files at a time.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
};
