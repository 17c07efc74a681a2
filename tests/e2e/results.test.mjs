// What a finished or ended task offers: download, copy link, and plain words for the statuses that
// bring no video (CANCELED, UNKNOWN, an unrecognised one); plus an unreachable endpoint.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { TEST_KEY, chineseTextOf, e2e, fillForm, holdsFor, openApp, shownTaskId, ui, waitForStatus, waitForVideo } from './harness.mjs';

const PROMPT = 'A paper boat drifting down a rainy street, macro lens.';

e2e('Download saves the MP4 and Copy link copies the signed URL', { pendingMs: 300, runningMs: 1_000 }, async ({ app, sim, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const taskId = await shownTaskId(page);
  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  await waitForVideo(page);
  const src = await ui.task(page).locator('video').first().getAttribute('src');
  assert.match(src, /\?Expires=\d+&OSSAccessKeyId=/, 'the decoded URL keeps its & separators');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    ui.task(page).getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `wan-${taskId}.mp4`);
  const file = await download.path();
  assert.ok(statSync(file).size > 10_000, 'the whole clip was saved');
  await ui.task(page).getByText(`Saved as wan-${taskId}.mp4`).first().waitFor();

  await ui.task(page).getByRole('button', { name: 'Copy link', exact: true }).click();
  await ui.task(page).getByText('Link copied.').first().waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), src);
});

for (const [status, word, explanation] of [
  ['CANCELED', 'Canceled', 'canceled this task'],
  ['UNKNOWN', 'Unknown', 'older than 24 hours'],
]) {
  e2e(`${status} is explained and polling stops`, { pendingMs: 60_000, runningMs: 60_000 }, async ({ app, sim, page }) => {
    await sim.fault({ on: 'query', status });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    await shownTaskId(page);
    await waitForStatus(page, word, { timeout: 30_000 });
    await ui.task(page).getByText(explanation, { exact: false }).first().waitFor();
    const polled = (await sim.queries()).length;
    await holdsFor(async () => (await sim.queries()).length === polled, {
      during: 6_000,
      message: `no more queries after ${status}`,
    });
  });
}

e2e('an unrecognised status is shown verbatim and polling goes on', { pendingMs: 500, runningMs: 1_000 }, async ({ app, sim, page }) => {
  await sim.fault({ on: 'query', status: 'SUSPENDED' });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await shownTaskId(page);
  await waitForStatus(page, 'SUSPENDED', { timeout: 30_000 });
  await ui.task(page).getByText('a status this app does not know').first().waitFor();
  await waitForStatus(page, 'Succeeded', { timeout: 30_000 });
});

e2e('an unreachable endpoint is explained, and the submit may have created a task', {}, async ({ app, page, pageRequests }) => {
  // Nothing listens on port 9 of this machine: the browser's fetch fails at the network level.
  await openApp(page, { app, endpoint: 'http://127.0.0.1:9/v1/responses', key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const alert = page.getByRole('alert').filter({ hasText: 'could not reach the endpoint' });
  await alert.first().waitFor({ timeout: 30_000 });
  const text = await alert.first().innerText();
  assert.match(text, /may have been created/);
  assert.match(await chineseTextOf(page, alert.first()), /无法连接/);
  assert.equal(await ui.generate(page).isEnabled(), true, 'Generate is usable again');
  assert.equal(pageRequests.filter((r) => r.url.startsWith('http://127.0.0.1:9/')).length, 1, 'tried once, never re-sent');
});
