// One Jest setup for every project: SWC compiles TypeScript (with decorator metadata for NestJS),
// so tests start fast and type errors are left to each project's `typecheck` target.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // ESM-only packages that must be compiled to CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(@marcbachmann/cel-js)/)'],
  // Workspace libraries are tested from source, so a test never runs against a stale build.
  moduleNameMapper: { '^@repo/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts') },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testTimeout: 30000,
};
