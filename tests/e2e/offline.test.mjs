// The installable offline shell: a manifest and a service worker that precaches only the app's
// own files; offline, the page opens with its history and says why it cannot generate; a new
// release replaces the old shell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, ROOT, TEST_KEY, e2e, fillForm, openApp, shownTaskId, startStaticServer, ui, waitForStatus, waitUntil } from './harness.mjs';

async function cacheState(page) {
  return page.evaluate(async () => {
    const keys = await caches.keys();
    const urls = [];
    for (const k of keys) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
    return { keys, urls, controlled: !!navigator.serviceWorker.controller };
  });
}

e2e('offline: the shell opens from the service worker with the history, and generating is disabled', { pendingMs: 300, runningMs: 1_000 }, async ({ page, sim, context }, t) => {
  const site = mkdtempSync(join(tmpdir(), 'wan-pwa-'));
  cpSync(DIST, site, { recursive: true });
  const server = await startStaticServer(site);
  t.after(async () => {
    await server.close().catch(() => {});
    rmSync(site, { recursive: true, force: true });
  });
  await openApp(page, { app: server, endpoint: sim.endpoint, key: TEST_KEY });
  assert.equal(await page.locator('link[rel="manifest"]').getAttribute('href'), 'manifest.webmanifest');
  const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.length >= 1);

  await fillForm(page, { prompt: 'A paper lantern floating at night.' });
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  await waitForStatus(page, 'Succeeded');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  const before = await cacheState(page);
  assert.equal(before.keys.length, 1);
  assert.match(before.keys[0], /^wan-studio-shell-[0-9a-f]{16}$/);
  for (const url of before.urls) {
    assert.ok(url.startsWith(server.url), `only the site's own files are cached: ${url}`);
    assert.ok(!url.includes('/v1/responses') && !url.endsWith('.mp4') && !url.includes('.mp4?'), `no API call or video cached: ${url}`);
  }
  assert.ok(before.urls.some((u) => u.endsWith('.wasm')), 'the wasm is in the shell');

  // The network goes away: the simulator and the site stop, the browser is offline.
  await sim.stop();
  await server.close();
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  await ui.task(page).getByRole('article', { name: `Task ${id}` }).waitFor();
  await page.getByText('You are offline: generating is disabled').first().waitFor();
  assert.equal(await ui.generate(page).isDisabled(), true);
  await context.setOffline(false);
  await page.waitForFunction(() => !document.body.innerText.includes('You are offline'));
});

e2e('a new release replaces the old shell cleanly', {}, async ({ page }, t) => {
  const site = mkdtempSync(join(tmpdir(), 'wan-pwa-update-'));
  cpSync(DIST, site, { recursive: true });
  const server = await startStaticServer(site);
  t.after(async () => {
    await server.close().catch(() => {});
    rmSync(site, { recursive: true, force: true });
  });
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  const first = await cacheState(page);

  // A new release: a changed page (a marker in index.html), and the service worker regenerated.
  const index = join(site, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head><meta name="release" content="2">'));
  execFileSync('node', [join(ROOT, 'scripts/pwa.mjs')], { env: { ...process.env, TRUNK_STAGING_DIR: site, TRUNK_PROFILE: 'release' } });

  await page.reload();
  await waitUntil(async () => {
    const { keys } = await cacheState(page);
    return keys.length === 1 && keys[0] !== first.keys[0];
  }, { timeout: 15_000, message: 'the new shell to replace the old cache' });
  await page.reload();
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  assert.equal(await page.locator('meta[name="release"]').getAttribute('content'), '2', 'the page runs the new release');
  // The offline copy of the page is the new one too.
  const cachedPage = await page.evaluate(async () => {
    const [key] = await caches.keys();
    return (await (await caches.open(key)).match('./')).text();
  });
  assert.ok(cachedPage.includes('<meta name="release" content="2">'), 'the cached shell is the new release');
  const after = await cacheState(page);
  assert.deepEqual(after.keys.length, 1, 'the old cache is gone');
  assert.notEqual(after.keys[0], first.keys[0]);
});
