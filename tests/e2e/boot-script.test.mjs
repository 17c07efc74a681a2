// The boot script in index.html's <head>: before the wasm runs (here it never does: its request is
// aborted), <html> already has the forced theme (data-theme) and the language (lang) the app will
// apply, so a forced dark theme never flashes light; its hash is in the CSP, so nothing is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startStaticServer } from './harness.mjs';

const CASES = [
  // [name, browser locale, prefers-color-scheme, stored values (null = storage blocked), expected]
  ['first visit, English browser', 'en-US', 'light', {}, { theme: null, lang: 'en' }],
  ['first visit, Chinese browser (zh-TW)', 'zh-TW', 'light', {}, { theme: null, lang: 'zh-CN' }],
  ['first visit, neither (fr-FR): English', 'fr-FR', 'light', {}, { theme: null, lang: 'en' }],
  ['forced dark on a light system, stored zh', 'en-US', 'light', { 'wan-studio.theme.v1': 'dark', 'wan-studio.lang.v1': 'zh' }, { theme: 'dark', lang: 'zh-CN' }],
  ['forced light on a dark system, stored en on a Chinese browser', 'zh-CN', 'dark', { 'wan-studio.theme.v1': 'light', 'wan-studio.lang.v1': 'en' }, { theme: 'light', lang: 'en' }],
  ['"system" and an unknown language code', 'zh-CN', 'light', { 'wan-studio.theme.v1': 'system', 'wan-studio.lang.v1': 'fr' }, { theme: null, lang: 'zh-CN' }],
  ['storage blocked', 'zh-CN', 'light', null, { theme: null, lang: 'zh-CN' }],
];

test('boot script: theme and language are on <html> before the wasm runs, under the CSP', { timeout: 60_000 }, async (t) => {
  const app = await startStaticServer();
  t.after(() => app.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  for (const [name, locale, colorScheme, stored, expected] of CASES) {
    const context = await browser.newContext({ locale, colorScheme });
    const page = await context.newPage();
    const csp = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
    await page.goto(`${app.url}/manifest.webmanifest`); // the origin, without the app
    await page.evaluate((s) => Object.entries(s ?? {}).forEach(([k, v]) => localStorage.setItem(k, v)), stored);
    if (stored === null) {
      await page.addInitScript(() =>
        Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } }),
      );
    }
    await page.route('**/*_bg.wasm', (r) => r.abort());
    await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded' });
    const got = await page.evaluate(() => ({ theme: document.documentElement.getAttribute('data-theme'), lang: document.documentElement.lang }));
    assert.deepEqual(got, expected, name);
    if (expected.theme === 'dark') {
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(246, 247, 249)', `${name}: dark background at once`);
    }
    assert.deepEqual(csp, [], `${name}: no CSP message`);
    await context.close();
  }
});
