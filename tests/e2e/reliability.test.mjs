// Reliability findings of the adversarial review (issue 11, item 7): clock jumps, absurd
// timestamps, a huge import, a relay that repeats a task id, the test hook's 0, URLs with a
// query string, and the draft-save banner. The key stays in the Authorization header of calls to
// the chosen endpoint throughout (checked at the end of each test).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_KEY, e2e, fillForm, openApp, shownTaskId, ui, waitUntil } from './harness.mjs';

const card = (page, id) => ui.task(page).getByRole('article', { name: `Task ${id}` });
const cardStatus = (page, id, word) => card(page, id).getByRole('status').filter({ hasText: word }).first();

/** Every recorded call to the simulator carries the key only as its Authorization header. */
async function assertKeyOnlyInAuthorization(sim) {
  for (const r of await sim.requests()) {
    const where = `${r.method} ${r.path}`;
    assert.ok(!String(r.path).includes(TEST_KEY) && !String(r.body ?? '').includes(TEST_KEY), `key outside the header in ${where}`);
    for (const [name, value] of Object.entries(r.headers)) {
      if (String(value).includes(TEST_KEY)) assert.ok(name === 'authorization' && r.method === 'POST' && r.pathname === '/v1/responses', `key in ${name} of ${where}`);
    }
  }
}

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
  return waitUntil(
    async () => {
      const id = await shownTaskId(page);
      return !known.includes(id) && id;
    },
    { timeout: 30_000, message: 'a new task id' },
  );
}

const HOUR = 3_600_000;

e2e('a clock that jumps 25 h ahead and back, or 48 h back, never stops polling for good', { pendingMs: 500, runningMs: 40_000, timeout: 180_000 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const id = await generate(page, 'A task through clock jumps.');
  await cardStatus(page, id, 'Running').waitFor({ timeout: 20_000 });
  // 25 h ahead: the task looks past its 24 h; the page stops asking…
  await shiftClock(page, 25 * HOUR);
  await card(page, id).getByText('Queryable for another').waitFor({ state: 'detached', timeout: 10_000 });
  // …and back: polling resumes by itself (no reload, no click).
  await shiftClock(page, 0);
  const before = (await sim.queries()).length;
  await waitUntil(async () => (await sim.queries()).length > before, { timeout: 40_000, message: 'polling to resume after the clock came back' });
  // 48 h back: still polled, and the card never promises more than 24 h.
  await shiftClock(page, -48 * HOUR);
  const again = (await sim.queries()).length;
  await waitUntil(async () => (await sim.queries()).length > again, { timeout: 40_000, message: 'polling with the clock set back' });
  await card(page, id).getByText(/Queryable for another (2[0-4]|1?\d) h/).waitFor();
  await shiftClock(page, 0);
  await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 90_000 });
  // The download asks for the signed link exactly as given (no stray "&" after its query).
  const signed = await card(page, id).locator('video').getAttribute('src');
  const [download] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/video/') && r.resourceType() === 'fetch'),
    card(page, id).getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  assert.equal(download.url(), signed, 'the download fetches the link as signed');
  assert.ok(!download.url().endsWith('&'));
  await assertKeyOnlyInAuthorization(sim);
});

function record(id, endpoint, at, status = 'Running') {
  return {
    id,
    request: null,
    endpoint,
    submitted_at_ms: at,
    snapshot: { status, submit_time: null, scheduled_time: null, end_time: null, video_url: null, code: null, message: null },
    problem: null,
    paused: false,
    origin: 'Submitted',
  };
}

async function importFile(page, tasks) {
  const body = JSON.stringify({ format: 'wan-studio-history', version: 1, exported_at_ms: Date.now(), tasks });
  await page.getByLabel('Import history').setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(body) });
}

e2e('impossible timestamps from a file or a relay are clamped, said so, and never keep a card "checking" forever', { pendingMs: 200, runningMs: 400 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const absurd = [32_503_680_000_000, 1e18, -1e15, -9.2e18];
  await importFile(page, absurd.map((at, i) => record(`absurd-${i}`, sim.endpoint, at)));
  await ui.task(page).getByText('4 task(s) had an impossible submit time').first().waitFor();
  // Moved to now (from the future): the user's tasks at the user's endpoint, so checked (the
  // simulator does not know them) and finished. Moved to 2024 (from long ago): past their 24 h,
  // and the card says they are no longer checked. None is left "checking" forever.
  for (const i of [0, 1]) await cardStatus(page, `absurd-${i}`, 'Unknown').waitFor({ timeout: 30_000 });
  for (const i of [2, 3]) await card(page, `absurd-${i}`).getByText('No longer checked').waitFor();
  // A relay that claims its task was created in the year 2999.
  const id = await generate(page, 'A task from the future.', absurd.map((_, i) => `absurd-${i}`));
  await sim.fault({ on: 'query', raw: { status: 200, content_type: 'application/json', body: JSON.stringify({ request_id: 'r', output: [{ type: 'message', content: [{ type: 'output_text', text: JSON.stringify({ task_id: id, task_status: 'RUNNING', submit_time: '2999-01-01 00:00:00.000' }) }] }] }) } });
  await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 30_000 });
  await assertKeyOnlyInAuthorization(sim);
});

e2e('importing 100 000 tasks keeps the page responsive and keeps what fits, saying what did not', { pendingMs: 200, runningMs: 400, timeout: 240_000 }, async ({ app, sim, page }, t) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const mine = await generate(page, 'A task that must survive the import.');
  await cardStatus(page, mine, 'Succeeded').waitFor({ timeout: 30_000 });
  const now = Date.now();
  const tasks = Array.from({ length: 100_000 }, (_, i) => record(`bulk-${String(i).padStart(6, '0')}`, sim.endpoint, now - 2 * 86_400_000 + i, 'Succeeded'));
  // A file on disk (a 30 MB buffer would be slow to hand over through the browser protocol).
  const dir = mkdtempSync(join(tmpdir(), 'wan-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'history-100000.json');
  writeFileSync(path, JSON.stringify({ format: 'wan-studio-history', version: 1, exported_at_ms: now, tasks }));
  await page.getByLabel('Import history').setInputFiles(path);
  // While it imports, the page answers (a blocked main thread would time this out).
  await ui.task(page).getByText('Importing…').first().waitFor();
  await page.evaluate(() => 1, undefined, { timeout: 5_000 });
  const note = ui.task(page).getByText(/Imported \d+ task\(s\)/).first();
  await note.waitFor({ timeout: 180_000 });
  const text = await note.innerText();
  const added = Number(text.match(/Imported (\d+) task/)[1]);
  const left = Number(text.match(/(\d+) more task\(s\) did not fit/)?.[1] ?? 0);
  assert.equal(added + left, 100_000, text);
  assert.ok(added > 1_000, `a useful part was imported (${added})`);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('wan-studio.tasks.v1')).tasks);
  assert.equal(stored.length, added + 1, 'what the note says is what is stored');
  assert.ok(stored.some((t) => t.id === mine), 'the task that was already here survived');
  // The newest were kept, the oldest left out.
  assert.ok(stored.some((t) => t.id === 'bulk-099999'), 'the newest imported task is kept');
  await assertKeyOnlyInAuthorization(sim);
});

e2e('a relay that repeats a task id keeps both billed tasks', { pendingMs: 60_000, runningMs: 60_000 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const reply = JSON.stringify({ request_id: 'r', output: [{ type: 'message', content: [{ type: 'output_text', text: JSON.stringify({ task_id: 'dup-task-1', task_status: 'PENDING' }) }] }] });
  await sim.fault({ on: 'submit', times: 2, raw: { status: 200, content_type: 'application/json', body: reply } });
  await fillForm(page, { prompt: 'The first billed take.' });
  await ui.generate(page).click();
  await card(page, 'dup-task-1').waitFor();
  await fillForm(page, { prompt: 'The second billed take, same id from the relay.' });
  await ui.generate(page).click();
  await ui.task(page).getByText('The second billed take').first().waitFor();
  assert.equal(await ui.task(page).getByText('The first billed take.').count(), 1, 'the first task is still there');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('wan-studio.tasks.v1')).tasks.map((t) => t.request.prompt));
  assert.equal(stored.length, 2, stored.join(' | '));
  await assertKeyOnlyInAuthorization(sim);
});

e2e('the client-timeout test hook refuses 0', { pendingMs: 300, runningMs: 600 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await page.evaluate(() => localStorage.setItem('wan-studio.debug.timeout-ms', '0'));
  await sim.fault({ on: 'submit', delay_ms: 1_000 });
  const id = await generate(page, 'Not aborted by a zero time limit.');
  await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 30_000 });
  assert.equal(await ui.section(page, 'New video').getByRole('alert').count(), 0);
  await assertKeyOnlyInAuthorization(sim);
});

e2e('a draft that cannot be saved says so about the draft, not about tasks', {}, async ({ app, sim, page }) => {
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
  assert.ok(full, 'storage is full');
  await ui.prompt(page).fill('A draft that no longer fits in storage, typed at length.'.repeat(20));
  await page.getByText('Your draft (the form) could not be saved').first().waitFor();
  assert.equal(await page.getByText('Your tasks stay on this page').count(), 0, 'the banner does not talk about tasks');
});
