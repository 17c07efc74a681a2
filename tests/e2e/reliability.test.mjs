// Reliability findings of the adversarial review (issue 11, item 7): clock jumps, absurd
// timestamps, a huge import, a relay that repeats a task id, the test hook's 0, URLs with a
// query string, and the draft-save banner. The key stays in the Authorization header of calls to
// the chosen endpoint throughout (checked at the end of each test).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, expectKeyOnlyTo, fillForm, openApp, recordRequests, setKeepVideos, shownTaskId, storedTasks, ui } from './ui.mjs';

const { card, cardStatus } = ui;
const HOUR = 3_600_000;

/** Shifts the page's wall clock (Date.now and new Date()) by `ms` from now on. */
async function shiftClock(page, ms) {
  await page.evaluate((offset) => {
    if (!window.__realNow) {
      window.__realNow = Date.now.bind(Date);
      const RealDate = Date;
      // `new Date()` without arguments follows the shifted clock too.
      window.Date = class extends RealDate {
        constructor(...args) {
          super(...(args.length ? args : [window.__realNow() + window.__offset]));
        }
        static now() {
          return window.__realNow() + window.__offset;
        }
      };
    }
    window.__offset = offset;
  }, ms);
}

async function generate(page, prompt, known = []) {
  await fillForm(page, { prompt });
  await ui.generate(page).click();
  return shownTaskId(page, { known });
}

/** A task record as the ledger stores it, with no settings (as looked up). */
function record(id, endpoint, at, status = 'Running') {
  return {
    id,
    request: null,
    endpoint,
    submitted_at_ms: at,
    snapshot: { status, submit_time: null, scheduled_time: null, end_time: null, video_url: null, code: null, message: null },
    paused: false,
    origin: 'Submitted',
  };
}

const historyFile = (tasks) => JSON.stringify({ format: 'wan-studio-history', version: 1, exported_at_ms: Date.now(), tasks });

test.describe('clock', () => {
  test.use({ simOptions: { pendingMs: 500, runningMs: 40_000 } });

  test('a clock that jumps 25 h ahead and back, or 48 h back, never stops polling for good', async ({ app, sim, page, context }) => {
    test.setTimeout(180_000);
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    // The download below is of the link itself.
    await setKeepVideos(page, 'never');
    const id = await generate(page, 'A task through clock jumps.');
    await expect(cardStatus(page, id, 'Running')).toBeVisible({ timeout: 20_000 });
    // 25 h ahead: the task looks past its 24 h; the page stops asking…
    await shiftClock(page, 25 * HOUR);
    await expect(card(page, id).getByText('Queryable for another')).toHaveCount(0, { timeout: 10_000 });
    // …and back: polling resumes by itself (no reload, no click).
    await shiftClock(page, 0);
    const before = (await sim.queries()).length;
    await expect.poll(async () => (await sim.queries()).length, { timeout: 40_000, message: 'polling resumes after the clock came back' }).toBeGreaterThan(before);
    // 48 h back: still polled, and the card never promises more than 24 h.
    await shiftClock(page, -48 * HOUR);
    const again = (await sim.queries()).length;
    await expect.poll(async () => (await sim.queries()).length, { timeout: 40_000, message: 'polling with the clock set back' }).toBeGreaterThan(again);
    await expect(card(page, id).getByText(/Queryable for another (2[0-4]|1?\d) h/)).toBeVisible();
    await shiftClock(page, 0);
    await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 90_000 });
    // The download asks for the signed link exactly as given (no stray "&" after its query).
    const signed = await card(page, id).locator('video').getAttribute('src');
    const [download] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/video/') && r.resourceType() === 'fetch'),
      card(page, id).getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    expect(download.url(), 'the download fetches the link as signed').toBe(signed);
    await expectKeyOnlyTo(recorded, sim.endpoint);
  });
});

test.describe('imports and replies', () => {
  test.use({ simOptions: { pendingMs: 200, runningMs: 400 } });

  test('impossible timestamps from a file or a relay are clamped, said so, and never keep a card "checking" forever', async ({ app, sim, page, context }) => {
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const absurd = [32_503_680_000_000, 1e18, -1e15, -9.2e18];
    const ids = absurd.map((_, i) => `absurd-${i}`);
    const body = historyFile(absurd.map((at, i) => record(ids[i], sim.endpoint, at)));
    await page.getByLabel('Import history').setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(body) });
    await expect(page.getByText('4 task(s) had an impossible submit time').first()).toBeVisible();
    // Moved to now (from the future): the user's tasks at the user's endpoint, so checked (the
    // simulator does not know them) and finished. Moved to 2024 (from long ago): past their 24 h,
    // and the card says they are no longer checked. None is left "checking" forever.
    for (const i of [0, 1]) await expect(cardStatus(page, ids[i], 'Unknown')).toBeVisible({ timeout: 30_000 });
    for (const i of [2, 3]) await expect(card(page, ids[i]).getByText('No longer checked')).toBeVisible();
    // A relay that claims its task was created in the year 2999.
    const id = await generate(page, 'A task from the future.', ids);
    const reply = { request_id: 'r', output: [{ type: 'message', content: [{ type: 'output_text', text: JSON.stringify({ task_id: id, task_status: 'RUNNING', submit_time: '2999-01-01 00:00:00.000' }) }] }] };
    await sim.fault({ on: 'query', raw: { status: 200, content_type: 'application/json', body: JSON.stringify(reply) } });
    await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
    await expectKeyOnlyTo(recorded, sim.endpoint);
  });

  test('importing 100 000 tasks keeps the page responsive and keeps what fits, saying what did not', async ({ app, sim, page, context }) => {
    test.setTimeout(240_000);
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const mine = await generate(page, 'A task that must survive the import.');
    await expect(cardStatus(page, mine, 'Succeeded')).toBeVisible({ timeout: 30_000 });
    const now = Date.now();
    const tasks = Array.from({ length: 100_000 }, (_, i) => record(`bulk-${String(i).padStart(6, '0')}`, sim.endpoint, now - 2 * 86_400_000 + i, 'Succeeded'));
    // A file on disk (a 30 MB buffer would be slow to hand over through the browser protocol).
    const dir = mkdtempSync(join(tmpdir(), 'wan-import-'));
    try {
      const path = join(dir, 'history-100000.json');
      writeFileSync(path, historyFile(tasks));
      await page.getByLabel('Import history').setInputFiles(path);
      // While it imports, the page answers (a blocked main thread would time this out).
      await expect(page.getByText('Importing…').first()).toBeVisible();
      await page.evaluate(() => 1, undefined, { timeout: 5_000 });
      const note = page.getByText(/Imported \d+ task\(s\)/).first();
      await expect(note).toBeVisible({ timeout: 180_000 });
      const text = await note.innerText();
      const added = Number(text.match(/Imported (\d+) task/)[1]);
      const left = Number(text.match(/(\d+) more task\(s\) did not fit/)?.[1] ?? 0);
      expect(added + left, text).toBe(100_000);
      expect(added, 'a useful part was imported').toBeGreaterThan(1_000);
      const stored = await storedTasks(page, 'id');
      expect(stored.length, 'what the note says is what is stored').toBe(added + 1);
      expect(stored, 'the task that was already here survived').toContain(mine);
      expect(stored, 'the newest imported task is kept (the oldest are left out)').toContain('bulk-099999');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expectKeyOnlyTo(recorded, sim.endpoint);
  });

  test('the client-timeout test hook refuses 0', async ({ app, sim, page, context }) => {
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await page.evaluate(() => localStorage.setItem('wan-studio.debug.timeout-ms', '0'));
    await sim.fault({ on: 'submit', delay_ms: 1_000 });
    const id = await generate(page, 'Not aborted by a zero time limit.');
    await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
    await expect(ui.section(page, 'New video').getByRole('alert')).toHaveCount(0);
    await expectKeyOnlyTo(recorded, sim.endpoint);
  });

  test('a draft that cannot be saved says so about the draft, not about tasks', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: 'start' });
    // Fill the site's storage to the brim: ever smaller items until not one more character fits.
    const full = await page.evaluate(() => {
      let k = 0;
      for (let n = 1 << 20; n >= 1; n >>= 1) {
        const chunk = 'x'.repeat(n);
        for (;;) {
          try {
            localStorage.setItem(`f${k++}`, chunk);
          } catch {
            break;
          }
        }
      }
      try {
        localStorage.setItem(`f${k}`, 'x');
        return false;
      } catch {
        return true;
      }
    });
    expect(full, 'storage is full').toBe(true);
    await ui.prompt(page).fill('A draft that no longer fits in storage, typed at length.'.repeat(20));
    await expect(page.getByText('Your draft (the form) could not be saved').first()).toBeVisible();
    await expect(page.getByText('Your tasks stay on this page'), 'the banner does not talk about tasks').toHaveCount(0);
  });
});

test.describe('repeated ids', () => {
  test.use({ simOptions: { pendingMs: 60_000, runningMs: 60_000 } });

  test('a relay that repeats a task id keeps both billed tasks', async ({ app, sim, page, context }) => {
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const reply = JSON.stringify({ request_id: 'r', output: [{ type: 'message', content: [{ type: 'output_text', text: JSON.stringify({ task_id: 'dup-task-1', task_status: 'PENDING' }) }] }] });
    await sim.fault({ on: 'submit', times: 2, raw: { status: 200, content_type: 'application/json', body: reply } });
    await fillForm(page, { prompt: 'The first billed take.' });
    await ui.generate(page).click();
    await expect(card(page, 'dup-task-1')).toBeVisible();
    await fillForm(page, { prompt: 'The second billed take, same id from the relay.' });
    await ui.generate(page).click();
    await expect(ui.task(page).getByText('The second billed take').first()).toBeVisible();
    await expect(ui.task(page).getByText('The first billed take.'), 'the first task is still there').toHaveCount(1);
    const stored = (await storedTasks(page, 'request')).map((r) => r.prompt);
    expect(stored.length, stored.join(' | ')).toBe(2);
    await expectKeyOnlyTo(recorded, sim.endpoint);
  });
});
