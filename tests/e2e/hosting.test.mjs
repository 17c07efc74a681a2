// Hosting: the release build works when served from any path, with all assets relative.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { DIST, TEST_KEY, fillForm, openApp, ui, waitForStatus, waitForVideo } from './ui.mjs';

test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

test('the release build served from /sub/path/ runs a whole task', async ({ page, sim, pageRequests, tempSite }) => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  expect(html, 'no root-absolute asset URL in index.html').not.toMatch(/(href|src)="\/(?!\/)/);
  expect(html, 'no root-absolute import in index.html').not.toContain("from '/");
  // The host's own front page; unknown paths outside the subpath fall back to it, not to the app.
  const server = await tempSite({ subPath: 'sub/path', files: { 'index.html': '<!doctype html><title>Team portal</title><p>portal</p>' } });
  await openApp(page, { app: { url: `${server.url}/sub/path` }, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: 'A train crossing a bridge.' });
  await ui.generate(page).click();
  await waitForStatus(page, 'Succeeded');
  await waitForVideo(page);
  const own = pageRequests.filter((r) => r.url.startsWith(server.url));
  expect(own.length).toBeGreaterThanOrEqual(3);
  for (const r of own) expect(r.url.startsWith(`${server.url}/sub/path/`), `asset outside the subpath: ${r.url}`).toBe(true);
});
