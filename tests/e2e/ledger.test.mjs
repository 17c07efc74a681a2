// Tasks are never lost: reloads resume polling, several tasks run at once, ids can be looked up,
// expired links offer a re-run, several tabs poll each task once, and the history exports and
// imports.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, cardAction, fastForward, fillForm, filterChip, loadApp, mounted, openApp, shownTaskId, storedTasks, ui } from './ui.mjs';

const PROMPT = 'A lighthouse in a storm, waves crashing, cinematic.';
const { card, cardStatus } = ui;

async function waitCard(page, id, word, timeout = 60_000) {
  await expect(cardStatus(page, id, word)).toBeVisible({ timeout });
}

/** A task made elsewhere (another device, the seed's script), straight against the API: its id. */
async function madeElsewhere(sim, body) {
  const res = await fetch(sim.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: TEST_KEY }, body });
  expect(res.status).toBe(200);
  return JSON.parse((await res.json()).output[0].content[0].text).task_id;
}

async function lookUp(page, id) {
  await page.getByRole('textbox', { name: 'Look up a task ID', exact: true }).fill(id);
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 4_000, runningMs: 6_000 } });

  for (const [phase, word] of [['PENDING', 'Queued'], ['RUNNING', 'Running']]) {
    test(`a reload during ${phase} resumes polling and the task finishes`, async ({ app, sim, page, pageRequests }) => {
      await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
      await fillForm(page, { prompt: PROMPT });
      await ui.generate(page).click();
      const id = await shownTaskId(page);
      await waitCard(page, id, word, 30_000);
      const beforeReload = pageRequests.length;
      await page.reload();
      await expect(mounted(page), 'the app loads again').toBeVisible({ timeout: 30_000 });
      await expect(card(page, id), 'the task is still listed after the reload').toBeVisible();
      await waitCard(page, id, 'Succeeded', 60_000);
      const resumed = pageRequests.slice(beforeReload).filter((r) => r.method === 'POST' && r.url === sim.endpoint);
      expect(resumed.length, 'the reloaded page polled the task').toBeGreaterThanOrEqual(1);
      expect(await sim.submits(), 'never re-submitted').toHaveLength(1);
      const polled = new Set((await sim.queries()).map((q) => q.json.input));
      expect([...polled]).toEqual([id]);
    });
  }
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 1_000, runningMs: 4_000 } });

  test('two tasks at once both finish, each with its own card', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: `${PROMPT} One.` });
    await ui.generate(page).click();
    const first = await shownTaskId(page);
    await fillForm(page, { prompt: `${PROMPT} Two.` });
    await ui.generate(page).click();
    const second = await shownTaskId(page, { known: [first] });
    await waitCard(page, first, 'Succeeded');
    await waitCard(page, second, 'Succeeded');
    await expect(ui.cards(page)).toHaveCount(2);
    expect(await sim.submits()).toHaveLength(2);
    await expect(card(page, second).locator('video')).toHaveCount(1);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 1_000, runningMs: 3_000 } });

  test('looking up a task id adds it and follows it to the end; a string that is not an id, or an unknown id, says so and adds nothing', async ({ app, sim, page }) => {
    const id = await madeElsewhere(
      sim,
      JSON.stringify({ model: 'wan2.6-t2v', input: { prompt: 'made elsewhere' }, parameters: { size: '1280*720', duration: 5 } }),
    );
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await lookUp(page, id);
    await expect(card(page, id)).toBeVisible();
    await waitCard(page, id, 'Succeeded');
    await expect(card(page, id).getByText('made elsewhere').first()).toBeVisible();
    await expect(card(page, id).getByRole('button', { name: 'Re-run with these settings' }), 'settings unknown: no re-run').toHaveCount(0);

    // Not shaped like a task id: refused before anything is asked.
    const asked = (await sim.queries()).length;
    await lookUp(page, 'no-such-task');
    await expect(page.getByRole('alert').filter({ hasText: 'That is not a task id' })).toBeVisible();
    expect((await sim.queries()).length, 'nothing was asked').toBe(asked);
    // Shaped like one but unknown to the service: said so, not added as an "unknown" task.
    const unknown = '00000000-0000-4000-8000-000000000000';
    await lookUp(page, unknown);
    await expect(page.getByRole('alert').filter({ hasText: 'does not know this task id' })).toBeVisible();
    await expect(card(page, unknown)).toHaveCount(0);
    await expect(ui.cards(page)).toHaveCount(1);
  });

  test('a task another model made (HappyHorse) is found by looking it up, and followed with its own query model', async ({ app, sim, page }) => {
    // Made elsewhere with happyhorse-1.1-t2v, the body of its DMXAPI page's own example.
    const id = await madeElsewhere(sim, readFileSync(new URL('../fixtures/models/happyhorse-1.1-t2v-text-to-video/submit-request.json', import.meta.url), 'utf8'));
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await lookUp(page, id);
    await expect(card(page, id)).toBeVisible();
    await waitCard(page, id, 'Succeeded');
    const asked = (await sim.queries()).filter((q) => q.json.input === id).map((q) => q.json.model);
    // wan2.6-get and wan2.7-get do not know it; from then on only happyhorse-get is asked.
    expect(asked.slice(0, 3)).toEqual(['wan2.6-get', 'wan2.7-get', 'happyhorse-get']);
    expect(asked.slice(3).every((m) => m === 'happyhorse-get'), asked.join(', ')).toBe(true);
    // The stored record names its family, so a reload or another tab asks the same model.
    expect((await storedTasks(page)).find((t) => t.id === id)?.family).toBe('happyhorse-get');
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('an expired video link says so and offers a re-run that fills the form', async ({ app, sim, page }) => {
    await sim.clock({ link_ttl_secs: 3 });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    // Not kept in the browser (tests/e2e/keep.test.mjs is about kept ones).
    await page.getByRole('combobox', { name: 'Keep finished videos in this browser', exact: true }).selectOption('never');
    await fillForm(page, { prompt: PROMPT, seed: 4242, duration: 7 });
    await ui.generate(page).click();
    const id = await shownTaskId(page);
    await waitCard(page, id, 'Succeeded');
    await expect(card(page, id).getByText('The video link has expired', { exact: false }).first()).toBeVisible({ timeout: 20_000 });
    await expect(card(page, id).locator('video'), 'no player for a dead link').toHaveCount(0);
    await fillForm(page, { prompt: 'something else', seed: '', duration: 5 });
    await card(page, id).getByRole('button', { name: 'Re-run with these settings' }).click();
    await expect(ui.prompt(page)).toHaveValue(PROMPT);
    await expect(ui.seed(page), 'same seed').toHaveValue('4242');
    await expect(ui.duration(page)).toHaveValue('7');
    expect(await sim.submits(), 're-run fills the form; it does not submit').toHaveLength(1);
  });
});

/**
 * Submits one task with `tabs` pages open on the app (Playwright's clock installed in the context
 * first); returns the number of queries once every timer of the next 30 s has fired in every tab.
 */
async function queriesWithTabs({ app, sim, context, page, pageRequests }, tabs) {
  await page.clock.install();
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
  // A straggler poll (a second tab polling too) would be due within one 5 s interval: fire every
  // timer of the next 30 s in every tab at once, then count.
  await fastForward(page, pageRequests);
  const settled = (await sim.queries()).length;
  for (const p of others) await p.close();
  return settled;
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 2_000, runningMs: 10_500 } });

  test('three tabs make as many queries as one tab, and all show the result', async ({ app, sim, context, page, pageRequests, newContext }) => {
    test.setTimeout(180_000);
    const oneTab = await queriesWithTabs({ app, sim, context, page, pageRequests }, 1);
    // A second, independent run: fresh browser profile, fresh simulator state.
    await sim.reset();
    await sim.clock({ pending_ms: 2_000, running_ms: 10_500 });
    const context2 = await newContext();
    const page2 = await context2.newPage();
    const threeTabs = await queriesWithTabs({ app, sim, context: context2, page: page2, pageRequests }, 3);
    test.info().annotations.push({ type: 'queries for one task', description: `1 tab = ${oneTab}, 3 tabs = ${threeTabs}` });
    expect(threeTabs, 'three tabs poll exactly as often as one').toBe(oneTab);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 800 } });

  test('delete has undo; export then import round-trips the history without the key', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    const id = await shownTaskId(page);
    await waitCard(page, id, 'Succeeded');

    await (await cardAction(page, id, 'Delete')).click();
    await expect(card(page, id)).toHaveCount(0);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await waitCard(page, id, 'Succeeded', 5_000);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      ui.task(page).getByRole('button', { name: 'Export history', exact: true }).click(),
    ]);
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    expect(text, 'the export has the task').toContain(id);
    expect(text, 'the export never contains the key').not.toContain(TEST_KEY);
    expect(JSON.parse(text).format).toBe('wan-studio-history');
    expect(text, 'indented for people to read').toMatch(/^\{\n {2}"format": "wan-studio-history",\n {2}"version": /);

    await ui.task(page).getByRole('button', { name: 'Clear finished', exact: true }).click();
    await expect(card(page, id)).toHaveCount(0);
    await page.getByLabel('Import history').setInputFiles(file);
    await expect(page.getByText('Imported 1 task(s)').first()).toBeVisible();
    await waitCard(page, id, 'Succeeded', 5_000);
    await expect(card(page, id).locator('video')).toHaveCount(1);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 800 } });

  test('three tabs: a take made in one, deleted in another, restored in the third, shows the same everywhere', async ({ app, sim, context, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const tabs = [page, await context.newPage(), await context.newPage()];
    for (const tab of tabs.slice(1)) await loadApp(tab, app.url);
    await fillForm(tabs[0], { prompt: PROMPT });
    await ui.generate(tabs[0]).click();
    const id = await shownTaskId(tabs[0]);
    for (const tab of tabs) await waitCard(tab, id, 'Succeeded', 30_000);
    for (const tab of tabs) await expect(filterChip(tab, 'All tasks')).toHaveAccessibleName(/All tasks\s*1$/);

    await (await cardAction(tabs[1], id, 'Delete')).click();
    for (const tab of tabs) await expect(card(tab, id), 'gone in every tab').toHaveCount(0);
    await tabs[1].getByRole('button', { name: 'Undo', exact: true }).click();
    for (const tab of tabs) await waitCard(tab, id, 'Succeeded', 5_000);

    await ui.task(tabs[2]).getByRole('button', { name: 'Clear finished', exact: true }).click();
    for (const tab of tabs) await expect(card(tab, id), 'cleared in every tab').toHaveCount(0);
    for (const tab of tabs) await expect(ui.task(tab).getByText('No videos yet.').first()).toBeVisible();
  });

  test('a history kept in local storage by the release before the database moves in once, losing nothing', async ({ app, page }) => {
    // Written by wan-studio 2c1b31b (tests/fixtures/README.md): a succeeded take, a failed one, and
    // a submit that may have been created.
    const ledger = readFileSync(new URL('../fixtures/ledger-local-storage-2c1b31b.json', import.meta.url), 'utf8');
    const before = JSON.parse(ledger).tasks;
    await loadApp(page, app.url);
    await page.evaluate((text) => localStorage.setItem('wan-studio.tasks.v1', text), ledger);
    await page.reload();
    await expect(mounted(page)).toBeVisible();
    for (const t of before) await expect(card(page, t.id), t.id).toBeVisible();
    await expect(cardStatus(page, before[0].id, 'Succeeded')).toBeVisible();
    await expect(cardStatus(page, before[1].id, 'Failed')).toBeVisible();
    await expect(card(page, before[2].id)).toContainText('May have been created');
    await expect(filterChip(page, 'All tasks')).toHaveAccessibleName(new RegExp(`All tasks\\s*${before.length}$`));
    expect(await page.evaluate(() => localStorage.getItem('wan-studio.tasks.v1')), 'moved out of local storage').toBeNull();
    const stored = await storedTasks(page);
    expect(stored, 'every record as it was').toEqual(before);
    // Once: a reload finds the same tasks, not twice as many.
    await page.reload();
    await expect(card(page, before[0].id)).toBeVisible();
    await expect(filterChip(page, 'All tasks')).toHaveAccessibleName(new RegExp(`All tasks\\s*${before.length}$`));
    expect(await storedTasks(page, 'id')).toEqual(before.map((t) => t.id));
  });
});

test('a submit that timed out at the gateway is kept as "may have been created"', async ({ app, sim, page }) => {
  await sim.fault({ on: 'submit', http: 504 });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT, seed: 7 });
  await ui.generate(page).click();
  await expect(page.getByRole('alert').filter({ hasText: 'may have been created' }).first()).toBeVisible();
  const unconfirmed = ui.cards(page).filter({ hasText: 'May have been created' });
  await expect(unconfirmed.first()).toBeVisible();
  await page.reload();
  await expect(ui.cards(page).filter({ hasText: 'May have been created' }).first()).toBeVisible();
  expect(await sim.submits(), 'never re-sent').toHaveLength(1);
  expect(await sim.queries(), 'nothing to poll without an id').toHaveLength(0);
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 2_500 } });

  test('the status filter, Copy settings, and the title + notification when a task ends in a background tab', async ({ app, sim, page, context }) => {
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
    const ok = await shownTaskId(page, { known: [failed] });
    // The user switches to another tab while it runs.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitCard(page, ok, 'Succeeded');
    await expect(page).toHaveTitle(/^\(1\) ✓ Task ended/);
    const notes = await page.evaluate(() => window.__notes);
    expect(notes.map((n) => n.tag), 'one notification, tagged with the task id').toEqual([ok]);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect(page).toHaveTitle('wan-studio · Wan video');

    // The filter chips say how many each shows.
    await expect(filterChip(page, 'All tasks')).toHaveAccessibleName(/All tasks\s*2/);
    await filterChip(page, 'Succeeded').check();
    await expect(card(page, failed)).toHaveCount(0);
    await expect(ui.cards(page)).toHaveCount(1);
    await filterChip(page, 'Failed or other').check();
    await expect(card(page, failed)).toBeVisible();
    await expect(ui.cards(page)).toHaveCount(1);
    await filterChip(page, 'All tasks').check();
    await expect(ui.cards(page)).toHaveCount(2);
    // Newest first.
    await expect(ui.cards(page).first()).toHaveAttribute('aria-label', `Task ${ok}`);

    // "Copy settings link" copies what the app accepts back: a share link that fills the form.
    await (await cardAction(page, ok, 'Copy settings link')).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/#share=1\./);
    await fillForm(page, { prompt: 'something else', seed: '' });
    await page.goto(copied);
    await expect(ui.prompt(page)).toHaveValue(`${PROMPT} fine`);
    await expect(ui.seed(page)).toHaveValue('99');
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 1_000, runningMs: 20_000 } });

  test('with "Remember key" off, a tab without the key never polls keyless; entering the key there resumes the task', async ({ app, sim, page, context, pageRequests }) => {
    test.setTimeout(150_000);
    await page.clock.install();
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await page.getByRole('checkbox', { name: 'Remember key on this device' }).uncheck();
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    const id = await shownTaskId(page);
    // A second tab: the same local storage (the task), but no key (session storage is per tab).
    const other = await context.newPage();
    await loadApp(other, app.url);
    await expect(card(other, id)).toBeVisible();
    const before = (await sim.queries()).length;
    const lock = `wan-studio.poll.${id}`;
    const holdsOrWaits = () =>
      other.evaluate(async (name) => {
        const { held, pending } = await navigator.locks.query();
        return [...held, ...pending].some((l) => l.name === name);
      }, lock);
    // The tab with the key closes while the task runs. The keyless tab has nothing to send the
    // task with, so it does not even queue for the task's poll lock (a tab with the key would
    // get it at once) …
    await page.close();
    // (The lock query sees every tab of the site: it reads false once the closed tab's lock is gone.)
    await expect.poll(holdsOrWaits, { message: 'the keyless tab neither holds nor waits for the poll lock' }).toBe(false);
    // … and every timer it would fire in the next 30 s sends nothing (the 15 s re-check included).
    await fastForward(other, pageRequests);
    expect(await holdsOrWaits()).toBe(false);
    const queries = await sim.queries();
    expect(queries.every((q) => q.headers.authorization), 'no query goes out without a key').toBe(true);
    expect(queries, 'the keyless tab does not poll').toHaveLength(before);
    await expect(card(other, id).getByRole('button', { name: 'Check again' }), 'the task is not paused').toHaveCount(0);
    // Entering the key in this tab resumes polling, and the task finishes here.
    await other.clock.resume();
    await ui.openSettings(other);
    await ui.apiKey(other).fill(TEST_KEY);
    await ui.apiKey(other).blur();
    await waitCard(other, id, 'Succeeded');
    expect((await sim.queries()).every((q) => q.headers.authorization === TEST_KEY), 'every query carried the key').toBe(true);
  });
});
