// "Save library" (issue 16): one .zip with the history, the pictures its tasks use and the videos
// kept in this browser; importing it in another browser restores all of it, each video and
// picture checked against its hash, and a kept video plays there after its link has died.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { ROOT, TEST_KEY, keptMedia, openApp, picture, pictures, shownTaskId, storedTasks, t, ui } from './ui.mjs';

const say = (key, args) => t('en', key, args);
const { mode, picker, field } = pictures;
const CLIP = readFileSync(join(ROOT, 'tests/simulator/assets/clip.mp4'));
const CLIP_HASH = createHash('sha256').update(CLIP).digest('hex');
const keptLine = (page, id) => ui.card(page, id).getByText(/^Kept in this browser/);
const importFile = (page) => page.getByLabel(say('tasks.import'));

test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

test('a library saved in one browser restores its tasks, pictures and kept videos in another, where the video plays after its link died; damaged bytes are refused', async ({ app, sim, page, newContext }) => {
  await sim.clock({ link_ttl_secs: 10 });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await mode(page).selectOption('wan2.6-i2v');
  await ui.prompt(page).fill('the cat turns its head');
  await picker(page, 'img_url').setInputFiles(await picture(page, { width: 800, height: 600 }));
  await expect(field(page, 'img_url').locator('figcaption')).toContainText('800×600');
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  await expect(ui.cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
  await expect(keptLine(page, id)).toBeVisible({ timeout: 15_000 });
  const [task] = await storedTasks(page);
  const pictureHash = task.request.media[0].url.replace(/^local:/, '');
  expect(await keptMedia(page)).toEqual([CLIP_HASH, pictureHash].sort());

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    ui.task(page).getByRole('button', { name: say('library.save'), exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^wan-studio-library-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = readFileSync(await download.path());
  await expect(page.getByText(say('library.saved', { tasks: 1, videos: 1, pictures: 1, size: '' }).split(',')[0])).toBeVisible();
  expect(zip.subarray(0, 4).toString('latin1'), 'a zip file').toBe('PK\x03\x04');
  expect(zip.includes(Buffer.from('history.json')), 'the history').toBe(true);
  expect(zip.includes(Buffer.from(`media/${CLIP_HASH}.mp4`)), 'the video under its hash').toBe(true);
  expect(zip.includes(Buffer.from(`media/${pictureHash}.jpg`)), 'the picture under its hash').toBe(true);
  expect(zip.includes(CLIP), 'the video as the host served it').toBe(true);
  expect(zip.includes(Buffer.from(TEST_KEY)), 'never the key').toBe(false);

  // Another browser. First a copy whose video bytes were damaged: the task and the picture come
  // in, the video is refused (its bytes no longer hash to its name) and the card plays the link.
  const other = await (await newContext()).newPage();
  await openApp(other, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const damaged = Buffer.from(zip);
  damaged[zip.indexOf(CLIP) + 1000] ^= 0xff;
  await importFile(other).setInputFiles({ name: 'library.zip', mimeType: 'application/zip', buffer: damaged });
  await expect(other.getByText(say('tasks.import_videos_refused', { n: 1 })).first()).toBeVisible();
  await expect(other.getByText(say('tasks.import_pictures', { n: 1 })).first()).toBeVisible();
  await expect(ui.card(other, id)).toBeVisible();
  await expect(keptLine(other, id)).toHaveCount(0);
  expect(await keptMedia(other)).toEqual([pictureHash]);

  // Then the library as saved: the task already here gets its kept video.
  await importFile(other).setInputFiles({ name: 'library.zip', mimeType: 'application/zip', buffer: zip });
  await expect(other.getByText(say('tasks.import_videos', { n: 1 })).first()).toBeVisible();
  await expect(keptLine(other, id)).toBeVisible();
  expect((await storedTasks(other))[0].kept).toEqual({ hash: CLIP_HASH, bytes: CLIP.length });
  expect(await keptMedia(other)).toEqual([CLIP_HASH, pictureHash].sort());

  // Once the link has died it still plays there, from that browser.
  const expires = Number(new URL(task.snapshot.video_url).searchParams.get('Expires')) * 1000;
  await expect.poll(() => Date.now() >= expires + 1_000, { timeout: 20_000 }).toBe(true);
  expect((await fetch(task.snapshot.video_url)).status, 'the simulator refuses the expired link').toBe(403);
  await other.reload();
  const video = ui.card(other, id).locator('video');
  await expect(video).toHaveAttribute('src', /^blob:/);
  await expect
    .poll(() => video.evaluate((v) => v.readyState >= 1 && Number.isFinite(v.duration) && v.duration > 0), { timeout: 15_000 })
    .toBe(true);
  await expect(ui.card(other, id).getByRole('list', { name: say('card.inputs'), exact: true }).getByRole('img')).toHaveCount(1);
});

test('a file that only looks like a zip is refused, saying what to choose instead', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await importFile(page).setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\x03\x04 and then nothing a zip holds') });
  await expect(page.getByText(say('library.not_archive'))).toBeVisible();
  expect(await storedTasks(page)).toEqual([]);
});
