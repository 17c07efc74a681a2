// The boot script in index.html's <head>: before the wasm runs (here it never does: its request is
// aborted), <html> already has the forced theme (data-theme) and the language (lang) the app will
// apply, so a forced dark theme never flashes light; its hash is in the CSP, so nothing is refused.
import { expect, test } from './fixtures.mjs';
import { mounted, t } from './ui.mjs';

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

for (const [name, locale, colorScheme, stored, expected] of CASES) {
  test(`boot script: theme and language are on <html> before the wasm runs, under the CSP: ${name}`, async ({ app, browser }) => {
    // A context of its own, not the watched `context` fixture: the aborted wasm is a page error here, on purpose.
    const context = await browser.newContext({ locale, colorScheme });
    try {
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
      expect(got, name).toEqual(expected);
      if (expected.theme === 'dark') {
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), `${name}: dark background at once`).not.toBe('rgb(244, 245, 248)');
      }
      expect(csp, `${name}: no CSP message`).toEqual([]);
    } finally {
      await context.close();
    }
  });
}

// Issue 14: the first screen is drawn by the page itself before the wasm runs (a slow connection
// shows the header and the first-run guide at once): in the page's language only, the guide only
// where the app will show it, and the app takes its place with the same words.
test('first screen: drawn before the wasm in the page language, the guide only without a key, then replaced by the app', async ({ app, browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await page.route('**/*_bg.wasm', (r) => r.abort());
    await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded' });
    const zh = page.locator('.first-screen[data-lang="zh"]');
    await expect(zh.locator('.welcome h2')).toHaveText(t('zh', 'welcome.title'));
    await expect(zh.locator('.tagline')).toHaveText(t('zh', 'app.tagline'));
    await expect(page.locator('.first-screen[data-lang="en"]').locator('.welcome')).toBeHidden();

    // A stored key: the app opens on the form, so the first screen has no guide.
    await page.evaluate(() => localStorage.setItem('wan-studio.key.v1', 'sk-anything'));
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect(zh.locator('.tagline')).toBeVisible();
    await expect(zh.locator('.welcome')).toBeHidden();
  } finally {
    await context.close();
  }
});

test('first screen: painted with the page alone (no stylesheet file), and the wasm is fetched only once it is shown', async ({ app, page }) => {
  await page.goto(`${app.url}/`);
  await expect(mounted(page)).toBeVisible();
  const { sheets, paint, wasm } = await page.evaluate(() => {
    const resources = performance.getEntriesByType('resource');
    return {
      sheets: resources.filter((r) => /\.css(\?|$)/.test(r.name)).length,
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      wasm: resources.find((r) => r.name.endsWith('_bg.wasm'))?.startTime,
    };
  });
  expect(sheets, 'no stylesheet request').toBe(0);
  expect(paint, 'the first screen was painted').toBeGreaterThan(0);
  // (or after the boot script's 500 ms cap, when a machine under load paints later than that)
  expect(wasm, 'the wasm request starts after that paint').toBeGreaterThan(Math.min(paint, 500));
});

test('first screen: the app replaces it with the same guide, and it is never shown twice', async ({ app, browser }) => {
  // A context of its own: the aborted wasm of the first load is a page error here, on purpose.
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.route('**/*_bg.wasm', (r) => r.abort());
  await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded' });
  const drawn = await page.locator('.first-screen[data-lang="en"] .welcome').innerText();
  await page.unroute('**/*_bg.wasm');
  await page.reload();
  await expect(mounted(page)).toBeVisible();
  await expect(page.locator('.first-screen')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: t('en', 'welcome.title'), exact: true })).toHaveCount(1);
  // The same words, but the local-only demo hint (this test runs on 127.0.0.1).
  const shown = await page.locator('aside.welcome').evaluate((el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.hint').forEach((h) => h.remove());
    document.body.append(copy);
    const text = copy.innerText;
    copy.remove();
    return text;
  });
  expect(shown).toBe(drawn);
  await context.close();
});
