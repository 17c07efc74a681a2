// Languages: the browser's language picks English or Chinese, the header switch changes it and
// is remembered, and in Chinese no English sentence is left anywhere the user looks.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fillForm, loadApp, openApp, setLanguage, shownTaskId, ui, waitForStatus, waitForVideo } from './ui.mjs';

const PROMPT = '一只纸船顺着雨中的街道漂流，特写，柔和的光线。';

// Latin words that are names, units or technical tokens, the same in Chinese text.
const ALLOWED = new Set(
  `wan studio dmxapi api url http https sk id ids ctrl enter wav mp3 mb kb json cors
   authorization bearer llm ai t2v cn com ssvip english language p s min h json v1 responses
   localhost relay config html png mp4 webm png jpeg csv txt cny usd rmb yuan seed wan2 www
   github sk- cdn oss aliyuncs ms gzip utf x wan-studio happyhorse zip`.split(/\s+/).filter(Boolean),
);

/** English words (3+ letters, not allowed tokens) in the page's visible text, with context. */
async function englishLeft(page) {
  // Every text node and every label-like attribute, hidden ones included (screen readers read
  // those too), except the user's own words, server details and names in their own language.
  const texts = await page.evaluate(() => {
    const skip = 'code, kbd, textarea, script, style, noscript, [lang="en"]';
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.trim() && !n.parentElement.closest(skip)) out.push(n.data);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (el.closest(skip)) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
        if (el.hasAttribute(a)) out.push(el.getAttribute(a));
      }
    }
    return out;
  });
  const found = [];
  for (const line of texts) {
    const cleaned = line.replace(/https?:\/\/\S+|\/[\w./-]+|\b[0-9a-f]{8}-[0-9a-f-]{27,}\b|\bsk-\S*/gi, ' ');
    for (const w of cleaned.match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []) {
      if (!ALLOWED.has(w.toLowerCase())) found.push(`${w}  ←  ${line.trim().slice(0, 100)}`);
    }
  }
  return found;
}

test.describe(() => {
  test.use({ locale: 'zh-CN' });

  test('a Chinese browser opens in Chinese; the switch changes the language and remembers it', async ({ app, page }) => {
    await page.goto(app.url);
    await expect(page.getByRole('button', { name: '生成', exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(ui.language(page)).toHaveValue('zh');
    await expect(page).toHaveTitle('wan-studio · 万相视频');

    await setLanguage(page, 'en');
    await expect(ui.generate(page)).toBeVisible();
    await expect(page.getByRole('button', { name: '生成', exact: true })).toHaveCount(0);
    await page.reload();
    await expect(ui.generate(page)).toBeVisible();
    await expect(page.locator('html'), 'English is remembered').toHaveAttribute('lang', 'en');
    await expect(ui.language(page)).toHaveValue('en');
  });
});

test('an English browser opens in English', async ({ app, page }) => {
  await loadApp(page, app.url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(ui.language(page)).toHaveValue('en');
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 1_000, runningMs: 8_000 } });

  test('in Chinese, every state of the page is translated', async ({ app, sim, page }) => {
    test.setTimeout(180_000);
    const left = [];
    const check = async (state) => {
      await setLanguage(page, 'zh');
      for (const l of await englishLeft(page)) left.push(`[${state}] ${l}`);
      await setLanguage(page, 'en');
    };
    await loadApp(page, app.url);
    await check('first visit');

    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: 'x'.repeat(1501), seed: 'abc', duration: 99 });
    await ui.generate(page).click();
    await expect(page.getByRole('alert').filter({ hasText: '1500' }).first()).toBeVisible();
    await check('validation errors');

    await fillForm(page, { prompt: PROMPT, seed: '', duration: 5 });
    await ui.generate(page).click();
    await shownTaskId(page);
    await waitForStatus(page, 'Running', { timeout: 30_000 });
    await check('running task');
    await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
    await waitForVideo(page);
    await check('finished video');

    // A second take, then both compared side by side.
    await fillForm(page, { prompt: PROMPT, seed: 7 });
    await ui.generate(page).click();
    await expect(ui.task(page).getByRole('status').filter({ hasText: 'Succeeded' }), 'two finished takes').toHaveCount(2, { timeout: 60_000 });
    for (const box of await ui.task(page).getByRole('checkbox', { name: 'Compare this take' }).all()) await box.check();
    await page.getByRole('button', { name: 'Compare 2 takes' }).click();
    await expect(page.getByRole('button', { name: 'Play all' })).toBeVisible();
    await check('compare takes');
    await page.keyboard.press('Escape');

    // A share link, and the banner of one opened in this page.
    await page.getByRole('button', { name: 'Share these settings', exact: true }).click();
    const link = await page.getByRole('textbox', { name: 'Share link', exact: true }).inputValue();
    await check('share link');
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, link.split('#')[1]);
    await expect(page.getByText('Settings loaded from a shared link')).toBeVisible();
    await check('shared link banner');

    await sim.fault({ on: 'submit', http: 401 });
    await ui.generate(page).click();
    await expect(page.getByRole('alert').filter({ hasText: 'API key' }).first()).toBeVisible();
    await check('an error');

    await ui.openSettings(page);
    await check('settings open');
    expect(left, `English left in the Chinese page:\n${left.join('\n')}`).toEqual([]);
  });
});

// Issue 14: a page loads the words of the language it shows only; the other language's file comes
// when the user switches (never with a flash of keys or of the other language), is kept by the
// service worker for offline use, and a switch that cannot load says so and can be tried again.
test('only the shown language is downloaded; a switch fetches the other, offline it says so, then both work offline', async ({ page, context, tempSite }) => {
  const site = await tempSite();
  const catalogsSent = () =>
    site
      .served()
      .map((s) => s.path)
      .filter((p) => p.startsWith('/locales/'));
  /** How many catalogs the service worker's cache holds. */
  const kept = () =>
    page.evaluate(async () => {
      const [name] = await caches.keys();
      return name ? (await (await caches.open(name)).keys()).filter((r) => r.url.includes('/locales/')).length : 0;
    });
  await loadApp(page, site.url);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  // (This test server forbids caching, so the service worker fetches the file once more to keep it;
  // a real host's copy comes from the HTTP cache: offline.test.mjs counts those sends.)
  expect(new Set(catalogsSent()), 'English only').toEqual(new Set([expect.stringMatching(/^\/locales\/en-[0-9a-f]{16}\.json$/)]));
  // The worker keeps the English file before the network goes (otherwise going offline at once
  // would race its fetch of it).
  await expect.poll(kept).toBe(1);

  // Offline, Chinese has never been loaded: the page stays in English and says why.
  await context.setOffline(true);
  await ui.language(page).selectOption('zh');
  const unavailable = page.getByRole('alert').filter({ hasText: 'The other language could not be loaded' });
  await expect(unavailable).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'New video', exact: true })).toBeVisible();

  // Back online, choosing it again loads it.
  await context.setOffline(false);
  await ui.language(page).selectOption('en');
  await ui.language(page).selectOption('zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '新建视频', exact: true })).toBeVisible();
  await expect(unavailable).toHaveCount(0);
  expect(catalogsSent().filter((p) => p.startsWith('/locales/zh-')).length, 'the Chinese catalog was fetched').toBeGreaterThan(0);

  // Offline again: a reload opens in Chinese from the service worker, and English is there too.
  await expect.poll(kept).toBe(2);
  await site.close();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: '新建视频', exact: true })).toBeVisible();
  await setLanguage(page, 'en');
  await expect(page.getByRole('heading', { name: 'New video', exact: true })).toBeVisible();
  await context.setOffline(false);
});

test('when the words cannot be loaded at all, the page says so in both languages', async ({ app, page }) => {
  await page.route('**/locales/*.json', (route) => route.abort());
  await page.goto(`${app.url}/`);
  await expect(page.getByRole('alert')).toContainText("The page's words could not be loaded");
  await expect(page.getByRole('alert')).toContainText('无法加载页面文字');
});
