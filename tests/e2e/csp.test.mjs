// The Content-Security-Policy: the app runs under it without a single violation, and injected
// inline script does not run.
import assert from 'node:assert/strict';
import { TEST_KEY, e2e, fillForm, openApp, ui, waitForStatus, waitForVideo } from './harness.mjs';

e2e('the app runs a whole task under its CSP, and inline script injected into the page is refused', { pendingMs: 300, runningMs: 1_000 }, async ({ app, sim, page, consoleErrors }) => {
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(csp, 'a CSP meta tag');
  assert.ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"), csp);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(csp, /object-src 'none'/);

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
  assert.equal(ran, false, 'inline script is blocked');
  // The one violation expected is the refused injection above.
  const unexpected = violations.filter((v) => !/inline script/i.test(v) || !/script-src/.test(v));
  assert.deepEqual(unexpected, [], `unexpected CSP violations:\n${unexpected.join('\n')}`);
  assert.equal(violations.length, 1, `exactly the injected script was refused: ${violations.join('\n')}`);
  // The one expected error: no team config.json beside this copy (the app then uses its defaults).
  const others = consoleErrors.filter((e) => !/Content Security Policy/.test(e) && !/status of 404/.test(e));
  assert.deepEqual(others, []);
});
