// End-to-end tests: the release build served by the real server, in Debian's
// Chromium at a phone-sized viewport. No browser download.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
// CUASO_E2E_PORT: another port, for two runs on one machine.
export const PORT = Number(process.env.CUASO_E2E_PORT || 8090);
// The e2e world's clock: the server starts from it (see clock.mjs).
export const CLOCK_START = '2026-11-23T09:00:00+07:00';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs/,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: resolve(ROOT, 'test-results'),
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: false,
    locale: 'vi-VN',
    launchOptions: { executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'off',
  },
  webServer: {
    command: `rm -rf tests/e2e/.tmp && ./target/server/cuaso-server --db tests/e2e/.tmp/e2e.db --dist dist --listen 127.0.0.1:${PORT} --officer-token e2e-officer-token --clock-start ${CLOCK_START}`,
    cwd: ROOT,
    url: `http://127.0.0.1:${PORT}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
