import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

// The runtime's own test helpers start the real `sidecar` command; this library only speaks its HTTP API.
// eslint-disable-next-line @nx/enforce-module-boundaries
export { startSidecar, newRegistryDir, type SidecarProcess } from '../../../sidecar/test/support/sidecar-process';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { freePort } from '../../../sidecar/test/support/ports';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { waitFor } from '../../../sidecar/test/support/poll';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { startTestApp, type TestApp } from '../../../sidecar/test/support/test-app';

/** The `sidecar` command on a port chosen by the test (startSidecar picks its own), stopped with SIGTERM. */
export function spawnSidecarOnPort(appId: string, daprHttpPort: number): { stop(): Promise<void> } {
  const bin = path.resolve(__dirname, '../../../sidecar/bin/sidecar.js');
  const child = spawn(process.execPath, [bin, '--app-id', appId, '--dapr-http-port', String(daprHttpPort), '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
