// What happens to pictures from this computer after a task is made: the card shows them; deleting
// the last task that uses one lets it go (once its Undo is gone, never before); an export carries
// them or not, as chosen, and an import in another browser restores them; a database of the
// previous version keeps the pictures its tasks name.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, cardAction, keptPictures, loadApp, openApp, picture, pictures, shownTaskId, storedTasks, t, ui } from './ui.mjs';

const say = (key, args) => t('en', key, args);
const { mode, picker, field } = pictures;

/** The card's list of the pictures it was made from. */
const inputs = (page, id) => ui.card(page, id).getByRole('list', { name: say('card.inputs'), exact: true });
const thumb = (page, id, n, size) =>
  inputs(page, id).getByRole('img', { name: say('card.input_alt', { what: say('form.media.img_url'), n, size }), exact: true });

/** Makes a wan2.6 image-to-video task from a `width`×`height` picture; returns its id and hash. */
async function makeTask(page, sim, { width, height, known = [] }) {
  await mode(page).selectOption('wan2.6-i2v');
  await ui.prompt(page).fill('the cat turns its head');
  await picker(page, 'img_url').setInputFiles(await picture(page, { width, height }));
  await expect(field(page, 'img_url').locator('figcaption')).toContainText(`${width}×${height}`);
  const before = (await sim.submits()).length;
  await ui.generate(page).click();
  const id = await shownTaskId(page, { known });
  await expect.poll(async () => (await sim.submits()).length).toBe(before + 1);
  const task = (await storedTasks(page)).find((x) => x.id === id);
  const hash = task.request.media[0].url.replace(/^local:/, '');
  return { id, hash };
}

test('a card shows the pictures it was made from; deleting the last task that uses one lets it go once Undo is gone, and not before', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const a = await makeTask(page, sim, { width: 800, height: 600 });
  const b = await makeTask(page, sim, { width: 640, height: 480, known: [a.id] });
  await expect(thumb(page, a.id, 1, '800×600')).toBeVisible();
  await expect(thumb(page, b.id, 1, '640×480')).toBeVisible();
  // The draft no longer holds b's picture: only task b does.
  await field(page, 'img_url').getByRole('button', { name: say('form.image_remove', { n: 1, what: say('form.media.img_url') }) }).click();
  await expect(field(page, 'img_url').locator('figure')).toHaveCount(0);
  expect(await keptPictures(page)).toEqual([a.hash, b.hash].sort());

  // Deleted: the toast's Undo still needs the picture; undone, the card shows it again.
  await (await cardAction(page, b.id, say('card.delete'))).click();
  await expect(ui.card(page, b.id)).toHaveCount(0);
  await page.getByRole('button', { name: say('shared.undo'), exact: true }).click();
  await expect(thumb(page, b.id, 1, '640×480')).toBeVisible();

  // Deleted again and the toast closed: nothing can bring it back, so the picture goes; a's stays.
  await (await cardAction(page, b.id, say('card.delete'))).click();
  await expect(ui.card(page, b.id)).toHaveCount(0);
  await page.getByRole('button', { name: say('toast.close'), exact: true }).click();
  await expect.poll(() => keptPictures(page)).toEqual([a.hash]);
  await page.reload();
  await expect(thumb(page, a.id, 1, '800×600')).toBeVisible();
  expect(await keptPictures(page)).toEqual([a.hash]);
});

test('a picture held by an Undo in one tab is not let go by another tab', async ({ app, sim, page, context }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const a = await makeTask(page, sim, { width: 800, height: 600 });
  const b = await makeTask(page, sim, { width: 640, height: 480, known: [a.id] });
  await field(page, 'img_url').getByRole('button', { name: say('form.image_remove', { n: 1, what: say('form.media.img_url') }) }).click();
  await expect(field(page, 'img_url').locator('figure')).toHaveCount(0);
  expect(await keptPictures(page)).toEqual([a.hash, b.hash].sort());

  // Tab 1 deletes b: its Undo is shown there.
  await (await cardAction(page, b.id, say('card.delete'))).click();
  await expect(ui.card(page, b.id)).toHaveCount(0);
  await expect(page.getByRole('button', { name: say('shared.undo'), exact: true })).toBeVisible();

  // Tab 2 opens (a sweep), then deletes a and closes its toast (another sweep): a's picture goes,
  // b's stays, since tab 1's Undo may still bring b back.
  const other = await context.newPage();
  await loadApp(other, app.url);
  await (await cardAction(other, a.id, say('card.delete'))).click();
  await expect(ui.card(other, a.id)).toHaveCount(0);
  await other.getByRole('button', { name: say('toast.close'), exact: true }).click();
  await expect.poll(() => keptPictures(other)).toEqual([b.hash]);

  // Tab 1's Undo brings b back with its picture.
  await page.getByRole('button', { name: say('shared.undo'), exact: true }).click();
  await expect(thumb(page, b.id, 1, '640×480')).toBeVisible();
  await expect(thumb(other, b.id, 1, '640×480')).toBeVisible();

  // Deleted again and the toast closed in tab 1: now nothing can bring it back.
  await (await cardAction(page, b.id, say('card.delete'))).click();
  await expect(ui.card(page, b.id)).toHaveCount(0);
  await page.getByRole('button', { name: say('toast.close'), exact: true }).click();
  await expect.poll(() => keptPictures(page)).toEqual([]);
});

test('an export with pictures restores them in another browser; one without leaves the tasks naming pictures that are not there', async ({ app, sim, page, newContext }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const a = await makeTask(page, sim, { width: 800, height: 600 });
  const exportFile = async (withPictures) => {
    await ui.task(page).getByRole('checkbox', { name: say('tasks.export_pictures'), exact: true }).setChecked(withPictures);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      ui.task(page).getByRole('button', { name: say('tasks.export'), exact: true }).click(),
    ]);
    return download.path();
  };
  const withFile = await exportFile(true);
  const withText = readFileSync(withFile, 'utf8');
  const carried = JSON.parse(withText).pictures;
  expect(carried.map((p) => p.hash)).toEqual([a.hash]);
  expect(carried[0].data).toMatch(/^data:image\/jpeg;base64,/);
  expect(withText, 'never the key').not.toContain(TEST_KEY);
  const withoutFile = await exportFile(false);
  expect(JSON.parse(readFileSync(withoutFile, 'utf8')).pictures).toBeUndefined();

  // Someone else's browser: without pictures, the card says the picture is not here.
  const other = await (await newContext()).newPage();
  await openApp(other, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await other.getByLabel(say('tasks.import')).setInputFiles(withoutFile);
  await expect(ui.card(other, a.id)).toBeVisible();
  await expect(inputs(other, a.id)).toContainText(say('card.input_missing', { what: say('form.media.img_url'), n: 1 }));
  expect(await keptPictures(other)).toEqual([]);
  // With them: the same task (already here) gets its picture back, checked against its hash.
  await other.getByLabel(say('tasks.import')).setInputFiles(withFile);
  await expect(other.getByText(say('tasks.import_pictures', { n: 1 })).first()).toBeVisible();
  await expect.poll(() => keptPictures(other)).toEqual([a.hash]);
  await other.reload();
  await expect(thumb(other, a.id, 1, '800×600')).toBeVisible();
  // And the re-run sends it.
  await (await cardAction(other, a.id, say('card.rerun'))).click();
  await expect(field(other, 'img_url').locator('figcaption')).toContainText('800×600');
  await ui.generate(other).click();
  await expect.poll(async () => (await sim.submits()).length).toBe(2);
  const sent = (await sim.submits())[1].json.input.img_url;
  expect(sent).toBe(carried[0].data);
});

test('a picture whose bytes do not match its hash is refused on import and nothing else is lost', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const a = await makeTask(page, sim, { width: 800, height: 600 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    ui.task(page).getByRole('button', { name: say('tasks.export'), exact: true }).click(),
  ]);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  // Same name, other bytes (a PNG that is a picture, but not this one).
  const png = await picture(page, { width: 400, height: 400, type: 'image/png' });
  file.pictures[0].data = `data:image/png;base64,${png.buffer.toString('base64')}`;
  await (await cardAction(page, a.id, say('card.delete'))).click();
  await page.getByRole('button', { name: say('toast.close'), exact: true }).click();
  await field(page, 'img_url').getByRole('button', { name: say('form.image_remove', { n: 1, what: say('form.media.img_url') }) }).click();
  await expect.poll(() => keptPictures(page)).toEqual([]);
  await page.getByLabel(say('tasks.import')).setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByText(say('tasks.import_pictures_refused', { n: 1 })).first()).toBeVisible();
  await expect(inputs(page, a.id)).toContainText(say('card.input_missing', { what: say('form.media.img_url'), n: 1 }));
  expect(await keptPictures(page)).toEqual([]);
});

test('a database of the previous version keeps the pictures its tasks name and lets go of those no task names', async ({ app, sim, page }) => {
  // Made here the way version 1 made it: no list of pictures per task.
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const a = await makeTask(page, sim, { width: 800, height: 600 });
  // Finished, so the page writes nothing more while the database is swapped under it.
  await expect(ui.cardStatus(page, a.id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
  // Only the task names the picture: not the draft.
  await field(page, 'img_url').getByRole('button', { name: say('form.image_remove', { n: 1, what: say('form.media.img_url') }) }).click();
  await expect(field(page, 'img_url').locator('figure')).toHaveCount(0);
  const [task] = await storedTasks(page);
  const orphan = 'f'.repeat(64);
  await page.evaluate(
    async ({ task, orphan }) => {
      const idb = (req) => new Promise((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))));
      const old = await idb(indexedDB.open('wan-studio'));
      const tx = old.transaction(['tasks', 'meta', 'media']);
      const kept = await idb(tx.objectStore('media').getAll());
      const summary = await idb(tx.objectStore('meta').get('summary'));
      old.close();
      await idb(indexedDB.deleteDatabase('wan-studio'));
      const open = indexedDB.open('wan-studio', 1);
      open.onupgradeneeded = () => {
        const db = open.result;
        const tasks = db.createObjectStore('tasks', { keyPath: 'id' });
        tasks.createIndex('order', ['neg', 'id']);
        tasks.createIndex('shelf', ['shelf', 'neg', 'id']);
        db.createObjectStore('meta');
        db.createObjectStore('media', { keyPath: 'hash' });
      };
      const db = await idb(open);
      const w = db.transaction(['tasks', 'meta', 'media'], 'readwrite');
      w.objectStore('tasks').put({ id: task.id, neg: -task.submitted_at_ms, shelf: 'ok', task: JSON.stringify(task) });
      w.objectStore('meta').put(summary, 'summary');
      for (const row of kept) w.objectStore('media').put(row);
      w.objectStore('media').put({ ...kept[0], hash: orphan });
      await new Promise((resolve) => (w.oncomplete = resolve));
      db.close();
    },
    { task, orphan },
  );
  expect(await keptPictures(page)).toEqual([a.hash, orphan].sort());
  await page.goto(app.url + '/');
  await expect(thumb(page, a.id, 1, '800×600')).toBeVisible();
  await expect.poll(() => keptPictures(page)).toEqual([a.hash]);
});
