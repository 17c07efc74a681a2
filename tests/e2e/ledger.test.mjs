// Tasks are never lost: reloads resume polling, several tasks run at once, ids can be looked up,
// expired links offer a re-run, several tabs poll each task once, and the history exports and
// imports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  TEST_KEY,
  e2e,
  fillForm,
  holdsFor,
  launchBrowser,
  loadApp,
  openApp,
  shownTaskId,
  ui,
  waitForStatus,
  waitUntil,
} from './harness.mjs';

const PROMPT = 'A lighthouse in a storm, waves crashing, cinematic.';

const card = (page, id) => ui.task(page).getByRole('article', { name: `Task ${id}` });
const cardStatus = (page, id) => card(page, id).getByRole('status').first();

async function waitCard(page, id, word, timeout = 60_000) {
  await card(page, id).getByRole('status').filter({ hasText: word }).first().waitFor({ timeout });
}

for (const [phase, word] of [['PENDING', 'Queued'], ['RUNNING', 'Running']]) {
  e2e(`a reload during ${phase} resumes polling and the task finishes`, { pendingMs: 4_000, runningMs: 6_000 }, async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    const id = await shownTaskId(page);
    await waitCard(page, id, word, 30_000);
    await page.reload();
    await loadApp(page, app.url, {}).catch(() => {});
    await waitCard(page, id, 'Succeeded', 60_000);
    assert.equal((await sim.submits()).length, 1, 'never re-submitted');
    const polled = new Set((await sim.queries()).map((q) => q.json.input));
    assert.deepEqual([...polled], [id]);
  });
}

e2e('two tasks at once both finish, each with its own card', { pendingMs: 1_000, runningMs: 4_000 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: `${PROMPT} One.` });
  await ui.generate(page).click();
  const first = await shownTaskId(page);
  await fillForm(page, { prompt: `${PROMPT} Two.` });
  await ui.generate(page).click();
  const second = await waitUntil(async () => {
    const id = await shownTaskId(page);
    return id !== first && id;
  });
  await waitCard(page, first, 'Succeeded');
  await waitCard(page, second, 'Succeeded');
  assert.equal(await ui.cards(page).count(), 2);
  assert.equal((await sim.submits()).length, 2);
  assert.equal(await card(page, second).locator('video').count(), 1);
});

e2e('looking up a task id adds it and follows it to the end; an unknown id says so', { pendingMs: 1_000, runningMs: 3_000 }, async ({ app, sim, page }) => {
  // A task made elsewhere (another device, the seed's script), straight against the API.
  const res = await fetch(sim.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: TEST_KEY },
    body: JSON.stringify({ model: 'wan2.6-t2v', input: { prompt: 'made elsewhere' }, parameters: { size: '1280*720', duration: 5 } }),
  });
  const id = JSON.parse((await res.json()).output[0].content[0].text).task_id;
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await page.getByRole('textbox', { name: 'Look up a task ID', exact: true }).fill(id);
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
  await card(page, id).waitFor();
  await waitCard(page, id, 'Succeeded');
  await card(page, id).getByText('made elsewhere').first().waitFor();
  assert.equal(await card(page, id).getByRole('button', { name: 'Re-run with these settings' }).count(), 0, 'settings unknown: no re-run');

  await page.getByRole('textbox', { name: 'Look up a task ID', exact: true }).fill('no-such-task');
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
  await waitCard(page, 'no-such-task', 'Unknown', 15_000);
  await card(page, 'no-such-task').getByText('older than 24 hours').first().waitFor();
});

e2e('an expired video link says so and offers a re-run that fills the form', { pendingMs: 300, runningMs: 1_000 }, async ({ app, sim, page }) => {
  await sim.clock({ link_ttl_secs: 3 });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT, seed: 4242, duration: 7 });
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  await waitCard(page, id, 'Succeeded');
  await card(page, id).getByText('The video link has expired', { exact: false }).first().waitFor({ timeout: 20_000 });
  assert.equal(await card(page, id).locator('video').count(), 0, 'no player for a dead link');
  await fillForm(page, { prompt: 'something else', seed: '' , duration: 5 });
  await card(page, id).getByRole('button', { name: 'Re-run with these settings' }).click();
  assert.equal(await ui.prompt(page).inputValue(), PROMPT);
  assert.equal(await ui.seed(page).inputValue(), '4242', 'same seed');
  assert.equal(await ui.duration(page).inputValue(), '7');
  assert.equal((await sim.submits()).length, 1, 're-run fills the form; it does not submit');
});

/** Submits one task with `tabs` pages open on the app; returns the number of queries. */
async function queriesWithTabs({ app, sim, context, page }, tabs) {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const others = [];
  for (let i = 1; i < tabs; i++) {
    const p = await context.newPage();
    await loadApp(p, app.url);
    others.push(p);
  }
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  for (const p of [page, ...others]) await waitCard(p, id, 'Succeeded');
  // Any straggler poll (a second tab polling too) would come within one 5 s interval: the count
  // must hold still for longer than that.
  const settled = (await sim.queries()).length;
  await holdsFor(async () => (await sim.queries()).length === settled, { during: 6_000, message: 'no further queries' });
  for (const p of others) await p.close();
  return settled;
}

e2e('three tabs make as many queries as one tab, and all show the result', { pendingMs: 2_000, runningMs: 10_500, timeout: 180_000 }, async (env) => {
  const oneTab = await queriesWithTabs(env, 1);
  // A second, independent run: fresh browser profile, fresh simulator state.
  await env.sim.reset();
  await env.sim.clock({ pending_ms: 2_000, running_ms: 10_500 });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const threeTabs = await queriesWithTabs({ ...env, context: browser.context, page }, 3);
    console.log(`# queries for one task: 1 tab = ${oneTab}, 3 tabs = ${threeTabs}`);
    assert.equal(threeTabs, oneTab, 'three tabs poll exactly as often as one');
  } finally {
    await browser.close();
  }
});

e2e('delete has undo; export then import round-trips the history without the key', { pendingMs: 300, runningMs: 800 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  await waitCard(page, id, 'Succeeded');

  await card(page, id).getByRole('button', { name: 'Delete', exact: true }).click();
  await card(page, id).waitFor({ state: 'detached' });
  await ui.task(page).getByRole('button', { name: 'Undo', exact: true }).click();
  await waitCard(page, id, 'Succeeded', 5_000);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    ui.task(page).getByRole('button', { name: 'Export history', exact: true }).click(),
  ]);
  const file = await download.path();
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(id), 'the export has the task');
  assert.ok(!text.includes(TEST_KEY), 'the export never contains the key');
  assert.equal(JSON.parse(text).format, 'wan-studio-history');

  await ui.task(page).getByRole('button', { name: 'Clear finished', exact: true }).click();
  await card(page, id).waitFor({ state: 'detached' });
  await page.getByLabel('Import history').setInputFiles(file);
  await ui.task(page).getByText('Imported 1 task(s)').first().waitFor();
  await waitCard(page, id, 'Succeeded', 5_000);
  assert.equal(await card(page, id).locator('video').count(), 1);
});

e2e('a submit that timed out at the gateway is kept as "may have been created"', {}, async ({ app, sim, page }) => {
  await sim.fault({ on: 'submit', http: 504 });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT, seed: 7 });
  await ui.generate(page).click();
  await page.getByRole('alert').filter({ hasText: 'may have been created' }).first().waitFor();
  const unconfirmed = ui.cards(page).filter({ hasText: 'May have been created' });
  await unconfirmed.first().waitFor();
  await page.reload();
  await ui.cards(page).filter({ hasText: 'May have been created' }).first().waitFor();
  assert.equal((await sim.submits()).length, 1, 'never re-sent');
  assert.equal((await sim.queries()).length, 0, 'nothing to poll without an id');
});

e2e('the status filter, Copy settings, and the title + notification when a task ends in a background tab', { pendingMs: 300, runningMs: 2_500 }, async ({ app, sim, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write', 'notifications'], { origin: app.url });
  // Record notifications instead of showing them.
  await page.addInitScript(() => {
    window.__notes = [];
    const Real = window.Notification;
    class Recording extends Real {
      constructor(title, options) {
        super(title, options);
        window.__notes.push({ title, tag: options?.tag });
      }
    }
    window.Notification = Recording;
  });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: 'no' } });
  await fillForm(page, { prompt: `${PROMPT} failing` });
  await ui.generate(page).click();
  const failed = await shownTaskId(page);
  await waitCard(page, failed, 'Failed');

  await fillForm(page, { prompt: `${PROMPT} fine`, seed: 99 });
  await ui.generate(page).click();
  const ok = await waitUntil(async () => {
    const id = await shownTaskId(page);
    return id !== failed && id;
  });
  // The user switches to another tab while it runs.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await waitCard(page, ok, 'Succeeded');
  await page.waitForFunction(() => document.title.startsWith('(1) ✓ Task ended'));
  const notes = await page.evaluate(() => window.__notes);
  assert.deepEqual(notes.map((n) => n.tag), [ok], 'one notification, tagged with the task id');
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => document.title === 'wan-studio · Wan 2.6 text-to-video');

  const filter = page.getByRole('combobox', { name: 'Show', exact: true });
  await filter.selectOption('succeeded');
  await card(page, failed).waitFor({ state: 'detached' });
  assert.equal(await ui.cards(page).count(), 1);
  await filter.selectOption('problems');
  await card(page, failed).waitFor();
  assert.equal(await ui.cards(page).count(), 1);
  await filter.selectOption('all');
  assert.equal(await ui.cards(page).count(), 2);
  // Newest first.
  assert.equal(await ui.cards(page).first().getAttribute('aria-label'), `Task ${ok}`);

  await card(page, ok).getByRole('button', { name: 'Copy settings', exact: true }).click();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(copied.seed, 99);
  assert.equal(copied.prompt, `${PROMPT} fine`);
});

e2e('with "Remember key" off, a tab without the key never polls keyless; entering the key there resumes the task', { pendingMs: 1_000, runningMs: 20_000, timeout: 150_000 }, async ({ app, sim, page, context }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await page.getByRole('checkbox', { name: 'Remember key on this device' }).uncheck();
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  // A second tab: the same local storage (the task), but no key (session storage is per tab).
  const other = await context.newPage();
  await loadApp(other, app.url);
  await card(other, id).waitFor();
  const before = (await sim.queries()).length;
  // The tab with the key closes while the task runs; the other one gets the poll lock.
  await page.close();
  await holdsFor(async () => (await sim.queries()).every((q) => q.headers.authorization), {
    during: 12_000,
    message: 'no query goes out without a key',
  });
  assert.equal((await sim.queries()).length, before, 'the keyless tab does not poll');
  assert.equal(await card(other, id).getByRole('button', { name: 'Check again' }).count(), 0, 'the task is not paused');
  // Entering the key in this tab resumes polling, and the task finishes here.
  await ui.openSettings(other);
  await ui.apiKey(other).fill(TEST_KEY);
  await ui.apiKey(other).blur();
  await waitCard(other, id, 'Succeeded');
  assert.ok((await sim.queries()).every((q) => q.headers.authorization === TEST_KEY), 'every query carried the key');
});
