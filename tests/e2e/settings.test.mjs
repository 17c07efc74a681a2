// Settings: the async header switch, persistence across reloads (settings and a running task), the
// key-less first visit, and forgetting the key.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fastForward, fillForm, loadApp, mounted, openApp, shownTaskId, storedTasks, ui, waitForStatus } from './ui.mjs';

const PROMPT = 'Lanterns drifting over a quiet lake at night, slow dolly shot.';

test('async header switched off: no X-DashScope-Async; Generate is disabled while the submit is in flight', async ({ app, sim, page }) => {
  await sim.fault({ on: 'submit', delay_ms: 2_000 }); // a slow submit
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await ui.asyncHeader(page).setChecked(false);
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await expect(ui.generate(page), 'Generate disabled while submitting').toBeDisabled({ timeout: 5_000 });
  await shownTaskId(page);
  await expect(ui.generate(page), 'Generate enabled again after the submit').toBeEnabled({ timeout: 5_000 });
  const submits = await sim.submits();
  expect(submits).toHaveLength(1);
  expect(submits[0].headers['x-dashscope-async'], 'no X-DashScope-Async header').toBeUndefined();
  expect(submits[0].headers.authorization).toBe(TEST_KEY);
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 1_500, runningMs: 8_000 } });

  test('persistence: key and endpoint survive a reload, and a task in progress resumes', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: PROMPT });

    await page.reload();
    await expect(mounted(page)).toBeVisible();
    // Set up: Settings is folded to a one-line summary that shows only the key's last 4 characters.
    const toggle = ui.settingsToggle(page);
    await expect(toggle, 'Settings folded once a key and an endpoint are stored').toHaveAttribute('aria-expanded', 'false');
    await expect(ui.apiKey(page), 'the fields are folded away').toBeHidden();
    const summary = await ui.section(page, 'Settings').innerText();
    expect(summary, 'the summary').toContain(`${new URL(sim.endpoint).host} · key …${TEST_KEY.slice(-4)}`);
    expect(summary, 'no more of the key than its last 4 characters').not.toContain(TEST_KEY.slice(0, 8));
    // The keyboard opens and folds it; openSettings() opens it only when folded.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle, 'Enter opens Settings').toHaveAttribute('aria-expanded', 'true', { timeout: 5_000 });
    await expect(ui.apiKey(page), 'the fields are back').toBeVisible();
    await page.keyboard.press('Space');
    await expect(toggle, 'Space folds it again').toHaveAttribute('aria-expanded', 'false', { timeout: 5_000 });
    await ui.openSettings(page);
    await ui.openSettings(page);
    await expect(toggle, 'openSettings opens it and leaves it open').toHaveAttribute('aria-expanded', 'true');
    await expect(ui.apiKey(page), 'key kept').toHaveValue(TEST_KEY);
    expect(await ui.endpoint(page).evaluate((s) => s.options[s.selectedIndex]?.text.trim()), 'endpoint choice kept').toBe('Custom URL');
    await expect(ui.customEndpoint(page), 'custom endpoint URL kept').toHaveValue(sim.endpoint);

    // Start a task, reload while it is queued/running: it picks up where it was.
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    const taskId = await shownTaskId(page);
    expect(await storedTasks(page, 'id'), 'the task id is in the database').toContain(taskId);
    const statusBefore = await ui.status(page).first().innerText();
    expect(statusBefore, 'reloading while the task is still in progress').not.toMatch(/Succeeded|Failed/);

    await page.reload();
    await expect(mounted(page)).toBeVisible();
    expect(await shownTaskId(page), 'the same task is shown after reload').toBe(taskId);
    await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
    await expect(ui.task(page).locator('video').first()).toBeVisible();

    expect(await sim.submits(), 'resuming does not re-submit').toHaveLength(1);
    const queries = await sim.queries();
    expect(queries.length).toBeGreaterThanOrEqual(1);
    for (const q of queries) expect(q.json.input, 'polls are for the resumed task').toBe(taskId);
  });
});

test('first visit without a key: guidance shown, Generate sends nothing and explains', async ({ app, page, pageRequests }) => {
  await page.clock.install();
  await loadApp(page, app.url);
  await expect(ui.apiKey(page), 'fresh profile has no key').toHaveValue('');
  // Guidance: some text about the API key beyond the field's own label.
  const guidance = page.getByText(/API key/).filter({ visible: true }).filter({ hasNotText: /^\s*API key\s*$/ });
  await expect(guidance.first()).toBeVisible();
  // The first-run guide: four ordered steps; step 3 puts the cursor in the (open) key field.
  const guide = page.getByRole('complementary', { name: 'Start here', exact: true });
  await expect(guide.getByRole('listitem'), 'four steps').toHaveCount(4);
  await expect(ui.settingsToggle(page), 'Settings open without a key').toHaveAttribute('aria-expanded', 'true');
  await guide.getByRole('button', { name: 'Go to the API key field', exact: true }).click();
  await expect(ui.apiKey(page), 'the key field has the focus').toBeFocused({ timeout: 5_000 });

  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await expect(page.getByRole('alert').filter({ hasText: /API key/ }).first()).toBeVisible();
  // Every timer of the next 30 s fired: still nothing sent anywhere but the app's own files.
  await fastForward(page, pageRequests);
  const foreign = pageRequests.filter((r) => !r.url.startsWith(app.url + '/') && !r.url.startsWith('data:'));
  expect(foreign, 'nothing sent anywhere without a key').toEqual([]);
  await expect(ui.cards(page), 'no task without a key').toHaveCount(0);
});

test('Forget key clears the field and the stored key; Show key toggles visibility', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const key = ui.apiKey(page);
  await expect(key, 'key hidden by default').toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Show key', exact: true }).click();
  await expect(key, 'key shown as text').toHaveAttribute('type', 'text', { timeout: 5_000 });
  await page.getByRole('button', { name: 'Hide key', exact: true }).click();
  await expect(key, 'key hidden again').toHaveAttribute('type', 'password', { timeout: 5_000 });

  await page.getByRole('button', { name: 'Forget key', exact: true }).click();
  await expect(key, 'field cleared').toHaveValue('', { timeout: 5_000 });
  await expect
    .poll(() => page.evaluate((k) => JSON.stringify({ ...localStorage, ...sessionStorage }).includes(k), TEST_KEY), { message: 'key gone from storage', timeout: 5_000 })
    .toBe(false);

  await page.reload();
  await expect(mounted(page)).toBeVisible();
  await expect(ui.apiKey(page), 'still empty after reload').toHaveValue('');
});

test("each other model's price is its list price until set in Settings; the estimate and the history's spend follow it, and an empty field goes back to the list price", async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const mode = page.getByRole('combobox', { name: 'Model and mode', exact: true });
  await mode.selectOption('happyhorse-1.0-t2v');
  await ui.prompt(page).fill('a horse at dawn');
  await ui.duration(page).fill('5');
  await page.getByRole('group', { name: 'Resolution', exact: true }).getByRole('radio', { name: '720P', exact: true }).check();
  // 9 000 units per second = 0.9 CNY/s at 720P (the table's list price).
  await expect(page.getByText('Estimated cost: 4.50 CNY').first()).toBeVisible();
  await ui.openSettings(page);
  await page.getByText('Prices of the other models', { exact: true }).click();
  const group = page.getByRole('group', { name: 'HappyHorse 1.0 · Text → video', exact: true });
  const p720 = group.getByRole('spinbutton', { name: '720P per second', exact: true });
  await expect(p720).toHaveValue('');
  await expect(group.getByText('Empty: list price 0.9')).toBeVisible();
  await expect(group.getByText(/No list price on the pages/)).toBeVisible();
  await p720.fill('2');
  await p720.press('Tab');
  await expect(page.getByText('Estimated cost: 10.00 CNY').first()).toBeVisible();
  // A per-video model has one field.
  const edit = page.getByRole('group', { name: /^HappyHorse 1\.0 · .*edit/i });
  await expect(edit.getByRole('spinbutton')).toHaveCount(1);
  await expect(edit.getByRole('spinbutton', { name: 'Per video', exact: true })).toBeVisible();
  // The history's spend uses it too, and it survives a reload.
  await ui.generate(page).click();
  const id = await shownTaskId(page);
  await expect(ui.cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
  await expect(ui.task(page).getByText(/Estimated spend on succeeded videos: 10\.00 CNY/)).toBeVisible();
  await page.reload();
  await expect(ui.task(page).getByText(/Estimated spend on succeeded videos: 10\.00 CNY/)).toBeVisible();
  await ui.openSettings(page);
  await page.getByText('Prices of the other models', { exact: true }).click();
  await expect(p720).toHaveValue('2');
  await p720.fill('');
  await p720.press('Tab');
  await expect(ui.task(page).getByText(/Estimated spend on succeeded videos: 4\.50 CNY/)).toBeVisible();
});

test('prices typed in Settings make the estimate, in exact hundredths, and survive a reload', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await ui.openSettings(page);
  const rate = page.getByLabel('720P rate');
  await rate.fill('0.25');
  await rate.press('Tab');
  const currency = page.getByLabel('Currency');
  await currency.fill('USD');
  await currency.press('Tab');
  await fillForm(page, { prompt: PROMPT, size: '1280*720', duration: 5 });
  await expect(page.getByText('Estimated cost: 1.25 USD').first()).toBeVisible();
  // 0.015 per second × 5 s = 0.075, shown rounded half up.
  await rate.fill('0.015');
  await rate.press('Tab');
  await expect(page.getByText('Estimated cost: 0.08 USD').first()).toBeVisible();
  // Not a price: the field keeps what was stored.
  await rate.fill('');
  await rate.press('Tab');
  await page.reload();
  await expect(mounted(page)).toBeVisible();
  await expect(page.getByText('Estimated cost: 0.08 USD').first()).toBeVisible();
  await ui.openSettings(page);
  await expect(page.getByLabel('720P rate')).toHaveValue('0.015');
});

test('spend by day and month adds up what the relay billed per model, beside the estimate at your prices', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const mode = page.getByRole('combobox', { name: 'Model and mode', exact: true });
  // wan2.6 at 1080P for 5 s (the list price: 50 000 units), HappyHorse 1.0 at 720P for 5 s (45 000).
  await fillForm(page, { prompt: PROMPT, size: '1920*1080', duration: 5 });
  await ui.generate(page).click();
  const a = await shownTaskId(page);
  await mode.selectOption('happyhorse-1.0-t2v');
  await ui.duration(page).fill('5');
  await page.getByRole('group', { name: 'Resolution', exact: true }).getByRole('radio', { name: '720P', exact: true }).check();
  await ui.generate(page).click();
  const b = await shownTaskId(page, { known: [a] });
  for (const id of [a, b]) await expect(ui.cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
  // What the relay said, as stored: the table must add up exactly this.
  const billed = (await storedTasks(page, 'billed_tokens')).reduce((s, n) => s + n, 0);
  expect(billed).toBe(95_000);

  await ui.task(page).getByText('Spend by day and month', { exact: true }).click();
  const table = ui.task(page).getByRole('table');
  const row = (name) => table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  await expect(row('Wan 2.6 · Text → video')).toContainText('5.00 CNY');
  await expect(row('HappyHorse 1.0 · Text → video')).toContainText('4.50 CNY');
  const total = row('All models');
  await expect(total).toContainText('9.50 CNY');
  await expect(total.getByRole('cell').nth(1)).toHaveText('2');
  await expect(total.getByRole('rowheader')).toHaveText(/^\d{4}-\d{2}$/);
  // By day: the same sums, under today's date (the test's clock and the page's agree on the day).
  await ui.task(page).getByRole('radio', { name: 'Day', exact: true }).check();
  await expect(row('All models').getByRole('rowheader')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  await expect(row('All models')).toContainText('9.50 CNY');
  // The estimate follows the prices in Settings; the bill does not.
  await ui.openSettings(page);
  const rate = page.getByLabel('1080P rate');
  await rate.fill('2');
  await rate.press('Tab');
  await expect(row('Wan 2.6 · Text → video').getByRole('cell').nth(3)).toHaveText('10.00 CNY');
  await expect(row('Wan 2.6 · Text → video').getByRole('cell').nth(2)).toHaveText('5.00 CNY');
});
