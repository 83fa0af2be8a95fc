// The whole system, started as `npm start` starts it, once per suite file and on dapr.yaml's fixed ports:
// only one can run at a time, so the suites run one after the other in this process.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'system-e2e',
  rootDir: __dirname,
  // The runner is the `sidecar` command, which runs the compiled runtime; the apps are built by the test target's dependsOn.
  globalSetup: '<rootDir>/../../libs/sidecar/test/support/global-setup.cjs',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  maxWorkers: 1,
  testTimeout: 60_000,
};
