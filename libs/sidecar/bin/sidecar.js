#!/usr/bin/env node
// The `sidecar` command. It runs the compiled library; `npm install` builds it (see the root package.json).
let cli;
try {
  cli = require('../dist/cli.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('sidecar: not built yet; run `npm run build` in the repository root\n');
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then((code) => process.exit(code));
