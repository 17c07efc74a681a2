// The tab title has one writer (issue 12): a team's site name from config.json survives a
// language switch and a task that ends while the page is in the background.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, TEST_KEY, e2e, fillForm, loadApp, openApp, setLanguage, shownTaskId, startStaticServer, ui } from './harness.mjs';

e2e('a team site name stays in the title through a language switch and a task ending in the background', { pendingMs: 300, runningMs: 1_500 }, async ({ sim, page }, t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wan-site-'));
  cpSync(DIST, dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ site_name: 'Team Video Lab' }));
  const site = await startStaticServer(dir);
  t.after(async () => {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await loadApp(page, site.url);
  await page.waitForFunction(() => document.title === 'Team Video Lab · wan-studio');
  await setLanguage(page, 'zh');
  assert.equal(await page.title(), 'Team Video Lab · wan-studio', 'the language switch keeps the site name');
  await setLanguage(page, 'en');
  await openApp(page, { app: site, endpoint: sim.endpoint, key: TEST_KEY });
  await page.waitForFunction(() => document.title === 'Team Video Lab · wan-studio');
  await fillForm(page, { prompt: 'A task that ends while nobody looks.' });
  await ui.generate(page).click();
  await shownTaskId(page);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => document.title === '(1) ✓ Task ended · Team Video Lab · wan-studio', undefined, { timeout: 30_000 });
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => document.title === 'Team Video Lab · wan-studio');
});
