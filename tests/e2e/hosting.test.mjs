// Hosting: the release build works when served from any path, with all assets relative.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, TEST_KEY, e2e, fillForm, openApp, startStaticServer, ui, waitForStatus, waitForVideo } from './harness.mjs';

e2e('the release build served from /sub/path/ runs a whole task', { pendingMs: 300, runningMs: 1_000 }, async ({ page, sim, pageRequests }, t) => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  assert.ok(!/(href|src)="\/(?!\/)/.test(html) && !html.includes("from '/"), 'no root-absolute asset URL in index.html');
  const root = mkdtempSync(join(tmpdir(), 'wan-subpath-'));
  mkdirSync(join(root, 'sub/path'), { recursive: true });
  cpSync(DIST, join(root, 'sub/path'), { recursive: true });
  // The host's own front page; unknown paths outside the subpath fall back to it, not to the app.
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Team portal</title><p>portal</p>');
  const server = await startStaticServer(root);
  t.after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });
  await openApp(page, { app: { url: `${server.url}/sub/path` }, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: 'A train crossing a bridge.' });
  await ui.generate(page).click();
  await waitForStatus(page, 'Succeeded');
  await waitForVideo(page);
  const own = pageRequests.filter((r) => r.url.startsWith(server.url));
  assert.ok(own.length >= 3);
  for (const r of own) assert.ok(r.url.startsWith(`${server.url}/sub/path/`), `asset outside the subpath: ${r.url}`);
});
