// Kept videos (issue 16): a finished take's video saved in this browser plays after its link has
// expired and with the network off, and downloads from there; "Ask on each video" offers it on the
// card; Settings counts the kept videos, shows the browser's quota and removes them without
// removing their tasks; a video host that does not let pages read its files is said once,
// remembered, and its takes say to download them before the link dies.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { ROOT, TEST_KEY, cardAction, fillForm, keptMedia, mounted, openApp, shownTaskId, storedTasks, t, ui } from './ui.mjs';

const say = (key, args) => t('en', key, args);
const CLIP = join(ROOT, 'tests/simulator/assets/clip.mp4');
const CLIP_HASH = createHash('sha256').update(readFileSync(CLIP)).digest('hex');
const keepChoice = (page) => page.getByRole('combobox', { name: say('keep.choice_legend'), exact: true });
const keptSection = (page) => page.getByRole('group', { name: say('keep.legend'), exact: true });

/** Waits until the card's player has loaded its video from this browser (a `blob:` URL). */
async function playsFromBrowser(page, id) {
  const video = ui.card(page, id).locator('video');
  await expect(video).toHaveAttribute('src', /^blob:/);
  await expect
    .poll(() => video.evaluate((v) => v.readyState >= 1 && Number.isFinite(v.duration) && v.duration > 0), { timeout: 15_000 })
    .toBe(true);
}

/** Submits one take with `prompt` and waits until it succeeded; returns its id. */
async function makeTake(page, prompt, known = []) {
  await fillForm(page, { prompt });
  await ui.generate(page).click();
  const id = await shownTaskId(page, { known });
  await expect(ui.cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
  return id;
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('a take is kept when it succeeds: it plays after its link expired and offline, and downloads from the browser', async ({ page, sim, context, tempSite }) => {
    // Long enough for a loaded machine to see the success and read the video before it dies.
    await sim.clock({ link_ttl_secs: 10 });
    const server = await tempSite();
    await openApp(page, { app: server, endpoint: sim.endpoint, key: TEST_KEY });
    await expect(keepChoice(page), 'kept automatically by default').toHaveValue('auto');
    const id = await makeTake(page, 'A paper boat on a rain puddle.');
    await expect(ui.card(page, id).getByText(/^Kept in this browser/)).toBeVisible({ timeout: 15_000 });
    const stored = (await storedTasks(page)).find((x) => x.id === id);
    expect(stored.kept, 'the record names the bytes of the video the host served').toEqual({ hash: CLIP_HASH, bytes: statSync(CLIP).size });
    expect(await keptMedia(page)).toEqual([CLIP_HASH]);

    // The link dies: the card still plays, from the browser.
    const expires = Number(new URL(stored.snapshot.video_url).searchParams.get('Expires')) * 1000;
    // The simulator counts whole seconds: past the second after `Expires`.
    await expect.poll(() => Date.now() >= expires + 1_000, { timeout: 25_000 }).toBe(true);
    const gone = await fetch(stored.snapshot.video_url);
    expect(gone.status, 'the simulator refuses the expired link').toBe(403);
    await page.reload();
    await playsFromBrowser(page, id);
    await expect(ui.card(page, id).getByText(/^Kept in this browser/)).toBeVisible();

    // And with no network at all.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    await sim.stop();
    await server.close();
    await context.setOffline(true);
    await page.reload();
    await expect(mounted(page)).toBeVisible();
    await playsFromBrowser(page, id);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      ui.card(page, id).getByRole('button', { name: say('video.download'), exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`wan-${id}.mp4`);
    expect(createHash('sha256').update(readFileSync(await download.path())).digest('hex')).toBe(CLIP_HASH);
    await context.setOffline(false);
  });

  test('"Ask on each video": the card offers to keep; Settings counts kept videos, shows the quota, and removes them while the tasks stay', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await keepChoice(page).selectOption('ask');
    const id = await makeTake(page, 'A lighthouse in fog.');
    const card = ui.card(page, id);
    await expect(card.getByText(say('keep.offer'))).toBeVisible();
    expect(await keptMedia(page), 'nothing kept before the user says so').toEqual([]);
    await card.getByRole('button', { name: say('keep.button'), exact: true }).click();
    await expect(card.getByText(/^Kept in this browser/)).toBeVisible();
    await expect(card.getByText(say('keep.offer'))).toHaveCount(0);
    expect(await keptMedia(page)).toEqual([CLIP_HASH]);

    await ui.openSettings(page);
    const section = keptSection(page);
    const kb = Math.ceil(statSync(CLIP).size / 1000);
    await expect(section.getByText(`Kept videos: 1, ${kb} KB in all.`)).toBeVisible();
    await expect(section.getByText(/^This site uses .* of the .* this browser allows it\./)).toBeVisible();
    await section.getByRole('button', { name: say('keep.remove_oldest'), exact: true }).click();
    await expect(page.getByText(/^1 kept video\(s\) removed/)).toBeVisible();
    await expect(section.getByText('Kept videos: 0, 0 KB in all.')).toBeVisible();
    await expect.poll(() => keptMedia(page), { message: 'the bytes are let go' }).toEqual([]);
    await expect(card, 'the task stays').toBeVisible();
    expect((await storedTasks(page)).find((x) => x.id === id).kept).toBeUndefined();
    // The card offers it again while the link lives.
    await expect(card.getByRole('button', { name: say('keep.button'), exact: true })).toBeVisible();
  });

  test('a video host that does not let pages read its files: said once, remembered, and its takes say to download them in time', async ({ app, sim, page }) => {
    await sim.fault({ on: 'video', cors: false, times: 0 });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const first = await makeTake(page, 'A kite over the dunes.');
    const refused = page.getByText(say('keep.refused_host', { host: sim.url }));
    await expect(refused).toBeVisible();
    await expect(ui.card(page, first).getByText(say('keep.unreadable'))).toBeVisible();
    await expect(ui.card(page, first).locator('video'), 'it still plays from its link').toHaveAttribute('src', /^http:\/\/127\.0\.0\.1/);
    expect(await page.evaluate(() => localStorage.getItem('wan-studio.video-hosts.v1'))).toBe(`0 ${sim.url}\n`);
    await page.getByRole('button', { name: say('toast.close'), exact: true }).click();
    await expect(refused).toHaveCount(0);

    // A read by the page is a CORS request (it carries Origin; the player's does not).
    const reads = async (id) =>
      (await sim.requests()).filter((r) => r.method === 'GET' && r.pathname === `/video/${id}.mp4` && r.headers.origin !== undefined);
    expect(await reads(first), 'the first take was tried').toHaveLength(1);
    // The next take from that host is not read again, and nothing is said again.
    const second = await makeTake(page, 'A kite over the sea.', [first]);
    await expect(ui.card(page, second).getByText(say('keep.unreadable'))).toBeVisible();
    await page.reload();
    await expect(ui.card(page, second).getByText(say('keep.unreadable'))).toBeVisible();
    await expect(refused).toHaveCount(0);
    expect(await reads(second)).toEqual([]);
    expect(await keptMedia(page)).toEqual([]);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 2_000, runningMs: 1_000 } });

  test('storage full while keeping: said with its next step, the task record is safe and the video still plays from its link', async ({ app, sim, page }) => {
    // The browser's storage fills up as the video is written (Chromium's quota override does not
    // reach IndexedDB writes headless): the database refuses it the way a full disk does.
    await page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (value, key) {
        if (window.__full && value?.blob instanceof Blob && value.width === 0) {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return put.call(this, value, key);
      };
    });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await page.evaluate(() => (window.__full = true));
    await fillForm(page, { prompt: 'A snail crossing a leaf.' });
    await ui.generate(page).click();
    const id = await shownTaskId(page);
    await expect(ui.cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(say('keep.failed_quota'))).toBeVisible();
    await expect(ui.card(page, id).locator('video')).toHaveAttribute('src', /^http:\/\/127\.0\.0\.1/);
    const stored = (await storedTasks(page)).find((x) => x.id === id);
    expect(stored.snapshot.status, 'the record has its result').toBe('Succeeded');
    expect(stored.kept).toBeUndefined();
    expect(await keptMedia(page)).toEqual([]);
    // Room again: the card's menu keeps it.
    await page.evaluate(() => (window.__full = false));
    await (await cardAction(page, id, say('keep.button'))).click();
    await expect(ui.card(page, id).getByText(/^Kept in this browser/)).toBeVisible();
    expect(await keptMedia(page)).toEqual([CLIP_HASH]);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('a link that dies within hours with nothing kept or downloaded: flagged on its card, counted above the gallery, told by a notification when hidden; a download clears it', async ({ app, sim, page, context }) => {
    // Links live 1 h after the end: inside the 2 h reminder window at once.
    await sim.clock({ link_ttl_secs: 3_600 });
    await context.grantPermissions(['notifications'], { origin: app.url });
    await page.addInitScript(() => {
      window.__notes = [];
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title, options) {
          super(title, options);
          window.__notes.push({ title, tag: options?.tag, body: options?.body });
        }
      };
    });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await keepChoice(page).selectOption('never');
    // The user is in another tab while it runs.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const id = await makeTake(page, 'A candle in the wind.');
    const card = ui.card(page, id);
    await expect(card.getByText(/^Expires soon: keep or download it now\./)).toBeVisible();
    const reminder = say('keep.expiring_n', { n: 1, hours: 2 });
    await expect(ui.task(page).getByRole('status').filter({ hasText: reminder })).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => window.__notes.filter((n) => n.tag === 'wan-studio.expiring')))
      .toEqual([{ title: say('keep.expiring_title'), tag: 'wan-studio.expiring', body: reminder }]);

    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: say('video.download'), exact: true }).click(),
    ]);
    expect(createHash('sha256').update(readFileSync(await download.path())).digest('hex')).toBe(CLIP_HASH);
    await expect(card.getByText(/^Expires soon/)).toHaveCount(0);
    await expect(ui.task(page).getByText(reminder)).toBeHidden();
    expect((await storedTasks(page)).find((x) => x.id === id).downloaded).toBe(true);
    expect(await page.evaluate(() => window.__notes.filter((n) => n.tag === 'wan-studio.expiring').length), 'told once').toBe(1);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('the takes about to expire are downloaded or kept together from the reminder above the gallery', async ({ app, sim, page }) => {
    await sim.clock({ link_ttl_secs: 3_600 });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await keepChoice(page).selectOption('never');
    const first = await makeTake(page, 'A kite over the dunes.');
    const second = await makeTake(page, 'A kite over the sea.', [first]);
    const notice = (n) => ui.task(page).getByRole('status').filter({ hasText: say('keep.expiring_n', { n, hours: 2 }) });
    await expect(notice(2)).toBeVisible();

    const saved = [];
    page.on('download', (d) => saved.push(d.suggestedFilename()));
    await ui.task(page).getByRole('button', { name: say('keep.expiring_save'), exact: true }).click();
    await expect.poll(() => saved.slice().sort()).toEqual([first, second].map((id) => `wan-${id}.mp4`).sort());
    await expect(notice(2)).toBeHidden();
    await expect(ui.task(page).getByRole('button', { name: say('keep.expiring_save'), exact: true })).toBeHidden();
    expect((await storedTasks(page)).filter((x) => x.downloaded).map((x) => x.id).sort()).toEqual([first, second].sort());

    const third = await makeTake(page, 'A kite in the rain.', [first, second]);
    await expect(notice(1)).toBeVisible();
    await ui.task(page).getByRole('button', { name: say('keep.expiring_keep'), exact: true }).click();
    await expect(ui.card(page, third).getByText(/^Kept in this browser/)).toBeVisible({ timeout: 15_000 });
    await expect(notice(1)).toBeHidden();
    expect(await keptMedia(page)).toEqual([CLIP_HASH]);
    expect((await storedTasks(page)).filter((x) => x.kept).map((x) => x.id)).toEqual([third]);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('a kept copy the browser let go (storage cleared): the card says so, plays the live link, the reminder counts it again, and More keeps it again', async ({ app, sim, page }) => {
    // Links live 1 h after the end: inside the 2 h reminder window once nothing of the take is safe.
    await sim.clock({ link_ttl_secs: 3_600 });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const id = await makeTake(page, 'A heron in the reeds.');
    const card = ui.card(page, id);
    await expect(card.getByText(/^Kept in this browser/)).toBeVisible();
    const reminder = ui.task(page).getByRole('status').filter({ hasText: say('keep.expiring_n', { n: 1, hours: 2 }) });
    await expect(reminder, 'kept: nothing to remind').toBeHidden();
    // The browser evicts the site's media (space ran low): the record still names the copy.
    await page.evaluate(
      (hash) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('wan-studio');
          open.onsuccess = () => {
            const tx = open.result.transaction('media', 'readwrite');
            tx.objectStore('media').delete(hash);
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      CLIP_HASH,
    );
    await page.reload();
    await expect(card.getByText(say('keep.evicted'))).toBeVisible();
    await expect(card.locator('video'), 'the live link plays meanwhile').toHaveAttribute('src', /^http:\/\/127\.0\.0\.1/);
    await expect(reminder, 'its link dies within the hour with nothing of it safe').toBeVisible();
    await (await cardAction(page, id, say('keep.button'))).click();
    await expect(card.getByText(/^Kept in this browser/)).toBeVisible();
    await expect(reminder).toBeHidden();
    await expect(card.locator('video')).toHaveAttribute('src', /^blob:/);
    expect(await keptMedia(page)).toEqual([CLIP_HASH]);
  });
});
