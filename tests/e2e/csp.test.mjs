// The Content-Security-Policy: the app runs under it without a single violation, and injected
// inline script does not run.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fillForm, openApp, ui, waitForStatus, waitForVideo } from './ui.mjs';

test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

test('the app runs a whole task under its CSP, and inline script injected into the page is refused', async ({ app, sim, page, consoleErrors }) => {
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp, 'a CSP meta tag').toBeTruthy();
  expect(csp).not.toContain("'unsafe-inline'");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).toMatch(/object-src 'none'/);
  // The stylesheet is inline (drawn with the page): allowed by its hash only, no file, no attribute.
  expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+';/);
  expect(await page.evaluate(() => getComputedStyle(document.body).margin), 'the stylesheet applies').toBe('0px');

  await fillForm(page, { prompt: 'A kite over a beach.' });
  await ui.generate(page).click();
  await waitForStatus(page, 'Succeeded');
  await waitForVideo(page);

  const ran = await page.evaluate(() => {
    window.__injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.appendChild(s);
    return window.__injected;
  });
  expect(ran, 'inline script is blocked').toBe(false);
  // The one violation expected is the refused injection above.
  const unexpected = violations.filter((v) => !/inline script/i.test(v) || !/script-src/.test(v));
  expect(unexpected, 'unexpected CSP violations').toEqual([]);
  expect(violations, 'exactly the injected script was refused').toHaveLength(1);
  // No other error: the build ships an empty config.json, so not even a 404 is logged.
  const others = consoleErrors.filter((e) => !/Content Security Policy/.test(e));
  expect(others).toEqual([]);
});
