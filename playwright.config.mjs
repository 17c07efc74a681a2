// The end-to-end suite (tests/e2e/*.test.mjs) on Playwright Test, driving Debian's Chromium against
// the release build (dist/) and a fresh DMXAPI simulator per test. Build both first:
//
//   scripts/build.sh && cargo build --release -p dmxapi-sim
//   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test            (= npm run test:e2e)
//   npx playwright test tests/e2e/faults.test.mjs -g "HTTP 403"       one file, one test
//   npx playwright show-trace tests/e2e/artifacts/results/<test>/trace.zip   after a failure
//
// Fixtures and UI helpers: tests/e2e/fixtures.mjs and tests/e2e/ui.mjs. Nothing here downloads a
// browser: launchOptions.executablePath is /usr/bin/chromium (scripts/lib/chromium.mjs).
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT } from './scripts/lib/chromium.mjs';

// Tests that must not share the machine with each other: the relay tests start real servers
// (trunk serve, which builds the app; nginx; Caddy) on ports they pick, the screenshots test
// writes docs/screenshots/, and the demo test needs the demo's fixed simulator port (9090). They run one at a time, beside the other tests.
const EXCLUSIVE = ['**/relay.test.mjs', '**/screenshots.test.mjs', '**/demo.test.mjs', '**/demo-models.test.mjs'];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.test.mjs',
  outputDir: 'tests/e2e/artifacts/results',
  // Each test has its own simulator on its own port and its own browser context; the static
  // server is stateless. Two workers on two cores (measured: see README → Tests).
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  // A flaky test must fail.
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  globalTimeout: 45 * 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: 'tests/e2e/artifacts/report', open: 'never' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'parallel', testIgnore: EXCLUSIVE },
    { name: 'exclusive', testMatch: EXCLUSIVE, workers: 1 },
  ],
});
