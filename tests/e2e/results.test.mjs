// What a finished or ended task offers: download, copy link, and plain words for the statuses that
// bring no video (CANCELED, UNKNOWN, an unrecognised one); plus an unreachable endpoint.
import { statSync } from 'node:fs';
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, cardAction, chineseTextOf, fastForward, fillForm, openApp, setKeepVideos, shownTaskId, ui, waitForStatus, waitForVideo } from './ui.mjs';

const PROMPT = 'A paper boat drifting down a rainy street, macro lens.';

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('Download saves the MP4 and Copy link copies the signed URL', async ({ app, sim, page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await setKeepVideos(page, 'never');
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    const taskId = await shownTaskId(page);
    await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
    await waitForVideo(page);
    const src = await ui.task(page).locator('video').first().getAttribute('src');
    expect(src, 'the decoded URL keeps its & separators').toMatch(/\?Expires=\d+&OSSAccessKeyId=/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      ui.task(page).getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`wan-${taskId}.mp4`);
    const file = await download.path();
    expect(statSync(file).size, 'the whole clip was saved').toBeGreaterThan(10_000);
    await expect(page.getByRole('status').filter({ hasText: `Saved as wan-${taskId}.mp4` })).toBeVisible();

    await (await cardAction(page, taskId, 'Copy link')).click();
    await expect(page.getByRole('status').filter({ hasText: 'Link copied.' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(src);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 60_000, runningMs: 60_000 } });

  for (const [status, word, explanation] of [
    ['CANCELED', 'Canceled', 'canceled this task'],
    ['UNKNOWN', 'Unknown', 'older than 24 hours'],
  ]) {
    test(`${status} is explained and polling stops`, async ({ app, sim, page, pageRequests }) => {
      await page.clock.install();
      await sim.fault({ on: 'query', status });
      await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
      await fillForm(page, { prompt: PROMPT });
      await ui.generate(page).click();
      await shownTaskId(page);
      await waitForStatus(page, word, { timeout: 30_000 });
      await expect(ui.task(page).getByText(explanation, { exact: false }).first()).toBeVisible();
      const polled = (await sim.queries()).length;
      // Every timer of the next 30 s fired (the 5 s schedule included): no query.
      await fastForward(page, pageRequests);
      expect(await sim.queries(), `no more queries after ${status}`).toHaveLength(polled);
    });
  }
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 500, runningMs: 1_000 } });

  test('an unrecognised status is shown verbatim and polling goes on', async ({ app, sim, page }) => {
    await sim.fault({ on: 'query', status: 'SUSPENDED' });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    await shownTaskId(page);
    await waitForStatus(page, 'SUSPENDED', { timeout: 30_000 });
    await expect(ui.task(page).getByText('a status this app does not know').first()).toBeVisible();
    await waitForStatus(page, 'Succeeded', { timeout: 30_000 });
  });
});

test('an unreachable endpoint is explained, and the submit may have created a task', async ({ app, page, pageRequests }) => {
  // Nothing listens on port 9 of this machine: the browser's fetch fails at the network level.
  await openApp(page, { app, endpoint: 'http://127.0.0.1:9/v1/responses', key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const alert = page.getByRole('alert').filter({ hasText: 'could not reach the endpoint' }).first();
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText('may have been created');
  expect(await chineseTextOf(page, alert)).toMatch(/无法连接/);
  await expect(ui.generate(page), 'Generate is usable again').toBeEnabled();
  expect(pageRequests.filter((r) => r.url.startsWith('http://127.0.0.1:9/')), 'tried once, never re-sent').toHaveLength(1);
});
