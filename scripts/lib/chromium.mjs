// Debian's Chromium and the flags every headless run in this project uses: the e2e suite
// (playwright.config.mjs), Lighthouse (scripts/lighthouse.mjs) and the benchmark (scripts/bench.mjs).
// Nothing downloads a browser of its own.

/** The browser: $CHROMIUM_BIN, else $CHROME_PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.CHROMIUM_BIN || process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * Headless, no sandbox (containers), no GPU, /tmp instead of a small /dev/shm, no background
 * traffic, and every host except 127.0.0.1/localhost resolves to nothing, so no test, score or
 * measurement can leave the machine.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/** The desktop viewport of the e2e suite and the benchmark. */
export const VIEWPORT = { width: 1280, height: 900 };
