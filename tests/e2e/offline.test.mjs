// The installable offline shell: a manifest and a service worker that precaches only the app's
// own files; offline, the page opens with its history and says why it cannot generate; a new
// release replaces the old shell.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { DIST, ROOT, TEST_KEY, fillForm, mounted, openApp, shownTaskId, ui, waitForStatus } from './ui.mjs';

async function cacheState(page) {
  return page.evaluate(async () => {
    const keys = await caches.keys();
    const urls = [];
    for (const k of keys) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
    return { keys, urls, controlled: !!navigator.serviceWorker.controller };
  });
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('offline: the shell opens from the service worker with the history, and generating is disabled', async ({ page, sim, context, tempSite }) => {
    const server = await tempSite();
    await openApp(page, { app: server, endpoint: sim.endpoint, key: TEST_KEY });
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', 'manifest.webmanifest');
    const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.length).toBeGreaterThanOrEqual(1);

    await fillForm(page, { prompt: 'A paper lantern floating at night.' });
    await ui.generate(page).click();
    const id = await shownTaskId(page);
    await waitForStatus(page, 'Succeeded');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    const before = await cacheState(page);
    expect(before.keys).toHaveLength(1);
    expect(before.keys[0]).toMatch(/^wan-studio-shell-[0-9a-f]{16}$/);
    for (const url of before.urls) {
      expect(url.startsWith(server.url), `only the site's own files are cached: ${url}`).toBe(true);
      expect(!url.includes('/v1/responses') && !url.endsWith('.mp4') && !url.includes('.mp4?'), `no API call or video cached: ${url}`).toBe(true);
    }
    expect(before.urls.some((u) => u.endsWith('.wasm')), 'the wasm is in the shell').toBe(true);

    // The network goes away: the simulator and the site stop, the browser is offline.
    await sim.stop();
    await server.close();
    await context.setOffline(true);
    await page.reload();
    await expect(mounted(page)).toBeVisible();
    await expect(ui.card(page, id)).toBeVisible();
    await expect(page.getByText('You are offline: generating is disabled').first()).toBeVisible();
    await expect(ui.generate(page)).toBeDisabled();
    await context.setOffline(false);
    await page.waitForFunction(() => !document.body.innerText.includes('You are offline'));
  });
});

test('a new release replaces the old shell cleanly', async ({ page, tempSite }) => {
  const server = await tempSite();
  await page.goto(`${server.url}/`);
  await expect(mounted(page)).toBeVisible();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  const first = await cacheState(page);

  // A new release: a changed page (a marker in index.html), and the service worker regenerated.
  const index = join(server.root, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head><meta name="release" content="2">'));
  execFileSync('node', [join(ROOT, 'scripts/pwa.mjs')], { env: { ...process.env, TRUNK_STAGING_DIR: server.root, TRUNK_PROFILE: 'release' } });

  await page.reload();
  await expect
    .poll(
      async () => {
        const { keys } = await cacheState(page);
        return keys.length === 1 && keys[0] !== first.keys[0];
      },
      { message: 'the new shell to replace the old cache', timeout: 15_000 },
    )
    .toBe(true);
  await page.reload();
  await expect(mounted(page)).toBeVisible();
  await expect(page.locator('meta[name="release"]'), 'the page runs the new release').toHaveAttribute('content', '2');
  // The offline copy of the page is the new one too.
  const cachedPage = await page.evaluate(async () => {
    const [key] = await caches.keys();
    return (await (await caches.open(key)).match('./')).text();
  });
  expect(cachedPage, 'the cached shell is the new release').toContain('<meta name="release" content="2">');
  const after = await cacheState(page);
  expect(after.keys, 'the old cache is gone').toHaveLength(1);
  expect(after.keys[0]).not.toBe(first.keys[0]);
});

// Issue 14: on a first visit the service worker fills its cache from the HTTP cache the page has just
// filled; served as a static host serves them (hashed files cached for a year, the page `no-cache`),
// nothing is sent twice (the page is taken from there when its digest is this build's page), and
// everything fetched adds up to the build's files.
test('a first visit downloads each file once: the service worker caches what the page already fetched', async ({ page }) => {
  const server = await startStaticServer(DIST, { host: true });
  try {
    await page.goto(`${server.url}/`);
    await expect(mounted(page)).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);
    const shell = JSON.parse(/const SHELL = (\[.*\]);/.exec(readFileSync(join(DIST, 'sw.js'), 'utf8'))[1]);
    // The whole shell, and the words of the language shown (English here), not the other one's.
    const cached = await expect
      .poll(async () => (await cacheState(page)).urls.length, { message: 'the whole shell and one catalog are cached' })
      .toBe(shell.length + 1)
      .then(() => cacheState(page));
    expect(cached.urls.some((u) => u.endsWith('_bg.wasm')), 'the wasm is in the shell').toBe(true);
    expect(cached.urls.filter((u) => /\/locales\/en-[0-9a-f]{16}\.json$/.test(u)), 'the English catalog is kept').toHaveLength(1);
    const sends = new Map();
    for (const { path } of server.served()) sends.set(path, (sends.get(path) ?? 0) + 1);
    const twice = [...sends].filter(([, n]) => n > 1);
    expect(twice, 'files sent more than once (the page too: the worker takes this build\'s from the HTTP cache)').toEqual([]);
    expect(sends.get('/'), 'the page is sent once').toBe(1);
    for (const f of ['.wasm', '.js']) expect([...sends.keys()].some((p) => p.endsWith(f)), `the ${f} was sent`).toBe(true);
    // The stylesheet is inside the page (drawn without waiting for a second file).
    expect([...sends.keys()].filter((p) => p.endsWith('.css')), 'no stylesheet file').toEqual([]);
  } finally {
    await server.close();
  }
});
