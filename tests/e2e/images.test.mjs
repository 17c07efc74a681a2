// Pictures from the user's own machine: chosen, dropped or pasted; checked against the model's
// limits at the field; scaled, flattened and re-encoded by the browser; kept in the browser's
// database by content hash (the task records the hash, the wire carries a data: URL); still there
// after a reload.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, openApp, picture, pictures, shownTaskId, storedTasks, t, ui } from './ui.mjs';

const say = (key, args) => t('en', key, args);
const { mode, picker, field } = pictures;

/** Drops (or pastes into `target`) a file on the page, as a person's drag or Ctrl+V would. */
async function deliver(locator, file, how) {
  await locator.evaluate(
    (el, { b64, name, type, how }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type }));
      const event =
        how === 'paste'
          ? new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })
          : new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
      el.dispatchEvent(event);
    },
    { b64: file.buffer.toString('base64'), name: file.name, type: file.mimeType, how },
  );
}

/** The pixel size of a data: URL's picture and the colour at (x, y), decoded by the page. */
async function decode(page, url, x = 1, y = 1) {
  return page.evaluate(
    async ({ url, x, y }) => {
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const [r, g, b, a] = ctx.getImageData(x, y, 1, 1).data;
      return { width: img.naturalWidth, height: img.naturalHeight, rgba: [r, g, b, a] };
    },
    { url, x, y },
  );
}

test('a large photo chosen from disk is scaled to the model\'s limit, kept across a reload, and sent as a data: URL while the task records its hash', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await mode(page).selectOption('wan2.6-i2v');
  await ui.prompt(page).fill('the cat turns its head');
  await picker(page, 'img_url').setInputFiles(await picture(page, { width: 4000, height: 3000 }));
  const f = field(page, 'img_url');
  await expect(f.getByRole('status')).toContainText(say('form.image_reencoded', { format: 'JPEG', from: '4000×3000', to: '2000×1500', bytes: '' }).split(',')[0]);
  await expect(f.locator('figcaption')).toContainText('2000×1500');
  await expect(f.getByRole('img')).toHaveAccessibleName(new RegExp(`^${say('form.media.img_url')}: .*2000×1500`));
  // Still there after a reload: the draft names it, the database keeps it.
  await page.reload();
  await expect(field(page, 'img_url').locator('figcaption')).toContainText('2000×1500');
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  await expect.poll(async () => (await sim.submits()).length).toBe(1);
  const sent = (await sim.submits())[0].json;
  expect(sent.model).toBe('wan2.6-i2v');
  expect(sent.input.img_url).toMatch(/^data:image\/jpeg;base64,/);
  expect(await decode(page, sent.input.img_url)).toMatchObject({ width: 2000, height: 1500 });
  const [task] = await storedTasks(page);
  expect(task.id).toBe(id);
  expect(task.request.media[0].url, 'the record names the picture by hash, not by its bytes').toMatch(/^local:[0-9a-f]{64}$/);
  expect(JSON.stringify(task)).not.toContain('base64');
});

test('a transparent PNG is flattened onto white where the model refuses alpha', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await mode(page).selectOption('wan2.7-first-frame');
  await picker(page, 'first_frame').setInputFiles(await picture(page, { width: 800, height: 600, type: 'image/png', alpha: true }));
  await expect(field(page, 'first_frame').getByRole('status')).toContainText('Flattened onto white');
  await ui.generate(page).click();
  await shownTaskId(page);
  await expect.poll(async () => (await sim.submits()).length).toBe(1);
  const url = (await sim.submits())[0].json.input.media[0].url;
  expect(url).toMatch(/^data:image\/jpeg;base64,/);
  const right = await decode(page, url, 700, 300);
  expect(right.rgba.slice(0, 3).every((c) => c > 245), `the transparent half is white: ${right.rgba}`).toBe(true);
  const left = await decode(page, url, 100, 300);
  expect(left.rgba[0]).toBeGreaterThan(150);
});

test('too small, not a picture, and a dropped video are refused at the field, naming the cause', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await mode(page).selectOption('wan2.6-i2v');
  const f = field(page, 'img_url');
  await picker(page, 'img_url').setInputFiles(await picture(page, { width: 300, height: 200 }));
  await expect(f.getByRole('alert')).toHaveText(say('form.error.image_small', { size: '300×200', min: 360 }));
  await expect(f.getByRole('img')).toHaveCount(0);
  await picker(page, 'img_url').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await expect(f.getByRole('alert')).toHaveText(say('form.error.not_image', { name: 'notes.txt' }));
  await picker(page, 'img_url').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
  await expect(f.getByRole('alert')).toHaveText(say('form.error.not_image', { name: 'fake.png' }));
  await mode(page).selectOption('wan2.7-edit');
  const video = field(page, 'video');
  await deliver(video, { name: 'clip.mp4', mimeType: 'video/mp4', buffer: Buffer.from('mp4') }, 'drop');
  await expect(video.getByRole('alert')).toHaveText(say('form.error.local_video'));
  expect(await sim.submits()).toHaveLength(0);
});

test('references pasted and dropped from this computer are listed in order and all sent', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await mode(page).selectOption('happyhorse-1.1-r2v');
  await ui.prompt(page).fill('[Image 1] meets [Image 2] in the rain');
  const refs = page.getByRole('textbox', { name: say('form.media.reference_image'), exact: true });
  await deliver(refs, await picture(page, { width: 640, height: 480, name: 'one' }), 'paste');
  const f = field(page, 'reference_image');
  await expect(f.locator('figure')).toHaveCount(1);
  await deliver(f, await picture(page, { width: 480, height: 640, type: 'image/png', name: 'two' }), 'drop');
  await expect(f.locator('figure')).toHaveCount(2);
  await expect(f.locator('figcaption').nth(0)).toContainText(say('form.image_caption', { n: 1, size: '640×480', bytes: '' }).replace(/,\s*$/, ''));
  await expect(f.locator('figcaption').nth(1)).toContainText('480×640');
  // Taking one out by its button.
  await f.getByRole('button', { name: say('form.image_remove', { n: 2, what: say('form.media.reference_image') }), exact: true }).click();
  await expect(f.locator('figure')).toHaveCount(1);
  await deliver(f, await picture(page, { width: 480, height: 640, type: 'image/png', name: 'two' }), 'drop');
  await expect(f.locator('figure')).toHaveCount(2);
  await ui.generate(page).click();
  await shownTaskId(page);
  await expect.poll(async () => (await sim.submits()).length).toBe(1);
  const media = (await sim.submits())[0].json.input.media;
  expect(media.map((m) => m.type)).toEqual(['reference_image', 'reference_image']);
  // HappyHorse takes transparency and PNG: the PNG goes as it is.
  expect(media[0].url).toMatch(/^data:image\/jpeg;base64,/);
  expect(media[1].url).toMatch(/^data:image\/png;base64,/);
  expect(await decode(page, media[1].url)).toMatchObject({ width: 480, height: 640 });
});
