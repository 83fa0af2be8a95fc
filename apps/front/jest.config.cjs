const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'front',
  rootDir: __dirname,
  // The browser modules import each other as `./x.js` (what the browser loads); Jest finds their sources.
  moduleNameMapper: { ...preset.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Integration tests host sidecars in the test process; the runtime they import is compiled first.
  globalSetup: '<rootDir>/../../libs/sidecar/test/support/global-setup.cjs',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
};
