// Tests drive the real `sidecar` command, which runs the compiled library: compile it first (incremental).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const root = path.resolve(__dirname, '../../../..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'libs/sidecar/tsconfig.lib.json'], { cwd: root, stdio: 'inherit' });
};
