import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

/**
 * End-to-end flows in a real browser against the whole system, started by the global setup exactly as
 * `npm start` starts it. The browser is Debian's Chromium (`apt-get install chromium`, which
 * `scripts/services.sh` does): Playwright never downloads one here. Everything a run writes goes under
 * apps/e2e/test-output/ (report, traces and screenshots of failures, screenshots of the pages, the runner's log).
 */
const OUTPUT = path.join(__dirname, 'test-output');

export default defineConfig({
  testDir: './src',
  outputDir: path.join(OUTPUT, 'results'),
  // One system, shared state (stock levels, the broker): the flows run one after the other.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env['CI']),
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['html', { outputFolder: path.join(OUTPUT, 'report'), open: 'never' }]],
  globalSetup: './src/support/global-setup.ts',
  use: {
    baseURL: process.env['E2E_BASE_URL'] ?? 'http://127.0.0.1:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      // Root in a container needs --no-sandbox; the rest keep a headless Chromium off the network and quiet.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
});
