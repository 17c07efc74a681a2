// Settings: the async header switch, persistence across reloads (settings and a running task), the
// key-less first visit, and forgetting the key.
import assert from 'node:assert/strict';
import {
  TEST_KEY,
  e2e,
  eventually,
  fillForm,
  holdsFor,
  loadApp,
  openApp,
  shownTaskId,
  ui,
  waitForStatus,
} from './harness.mjs';

const PROMPT = 'Lanterns drifting over a quiet lake at night, slow dolly shot.';

e2e('async header switched off: no X-DashScope-Async; Generate is disabled while the submit is in flight', {}, async ({ app, sim, page }) => {
  await sim.fault({ on: 'submit', delay_ms: 2_000 }); // a slow submit
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await ui.asyncHeader(page).setChecked(false);
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await eventually(() => ui.generate(page).isDisabled(), true, 'Generate disabled while submitting');
  await shownTaskId(page);
  await eventually(() => ui.generate(page).isDisabled(), false, 'Generate enabled again after the submit');
  const submits = await sim.submits();
  assert.equal(submits.length, 1);
  assert.equal(submits[0].headers['x-dashscope-async'], undefined, 'no X-DashScope-Async header');
  assert.equal(submits[0].headers.authorization, TEST_KEY);
});

e2e('persistence: key and endpoint survive a reload, and a task in progress resumes', { pendingMs: 1_500, runningMs: 8_000 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });

  await page.reload();
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  // Set up: Settings is folded to a one-line summary that shows only the key's last 4 characters.
  const toggle = ui.settingsToggle(page);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'Settings folded once a key and an endpoint are stored');
  assert.equal(await ui.apiKey(page).isVisible(), false, 'the fields are folded away');
  const summary = await ui.section(page, 'Settings').innerText();
  assert.ok(summary.includes(`${new URL(sim.endpoint).host} · key …${TEST_KEY.slice(-4)}`), `the summary: ${summary}`);
  assert.ok(!summary.includes(TEST_KEY.slice(0, 8)), 'no more of the key than its last 4 characters');
  // The keyboard opens and folds it; openSettings() opens it only when folded.
  await toggle.focus();
  await page.keyboard.press('Enter');
  await eventually(() => toggle.getAttribute('aria-expanded'), 'true', 'Enter opens Settings');
  assert.equal(await ui.apiKey(page).isVisible(), true, 'the fields are back');
  await page.keyboard.press('Space');
  await eventually(() => toggle.getAttribute('aria-expanded'), 'false', 'Space folds it again');
  await ui.openSettings(page);
  await ui.openSettings(page);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'openSettings opens it and leaves it open');
  assert.equal(await ui.apiKey(page).inputValue(), TEST_KEY, 'key kept');
  assert.equal(
    await ui.endpoint(page).evaluate((s) => s.options[s.selectedIndex]?.text.trim()),
    'Custom URL',
    'endpoint choice kept',
  );
  assert.equal(await ui.customEndpoint(page).inputValue(), sim.endpoint, 'custom endpoint URL kept');

  // Start a task, reload while it is queued/running: it picks up where it was.
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const taskId = await shownTaskId(page);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(stored.includes(taskId), 'the task id is in localStorage');
  const statusBefore = await ui.status(page).first().innerText();
  assert.doesNotMatch(statusBefore, /Succeeded|Failed/, 'reloading while the task is still in progress');

  await page.reload();
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  assert.equal(await shownTaskId(page), taskId, 'the same task is shown after reload');
  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  await ui.task(page).locator('video').first().waitFor();

  assert.equal((await sim.submits()).length, 1, 'resuming does not re-submit');
  const queries = await sim.queries();
  assert.ok(queries.length >= 1);
  for (const q of queries) assert.equal(q.json.input, taskId, 'polls are for the resumed task');
});

e2e('first visit without a key: guidance shown, Generate sends nothing and explains', {}, async ({ app, page, pageRequests }) => {
  await loadApp(page, app.url);
  assert.equal(await ui.apiKey(page).inputValue(), '', 'fresh profile has no key');
  // Guidance: some text about the API key beyond the field's own label.
  const guidance = page.getByText(/API key/).filter({ visible: true }).filter({ hasNotText: /^\s*API key\s*$/ });
  await guidance.first().waitFor();
  // The first-run guide: four ordered steps; step 3 puts the cursor in the (open) key field.
  const guide = page.getByRole('complementary', { name: 'Start here', exact: true });
  assert.equal(await guide.getByRole('listitem').count(), 4, 'four steps');
  assert.equal(await ui.settingsToggle(page).getAttribute('aria-expanded'), 'true', 'Settings open without a key');
  await guide.getByRole('button', { name: 'Go to the API key field', exact: true }).click();
  await eventually(() => ui.apiKey(page).evaluate((el) => el === document.activeElement), true, 'the key field has the focus');

  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await page.getByRole('alert').filter({ hasText: /API key/ }).first().waitFor();
  const foreign = () => pageRequests.filter((r) => !r.url.startsWith(app.url + '/') && !r.url.startsWith('data:'));
  await holdsFor(() => foreign().length === 0, { during: 1_000, message: 'no request leaves the app' });
  assert.deepEqual(foreign(), [], 'nothing sent anywhere without a key');
  assert.equal(await ui.cards(page).count(), 0, 'no task without a key');
});

e2e('Forget key clears the field and the stored key; Show key toggles visibility', {}, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const key = ui.apiKey(page);
  assert.equal(await key.getAttribute('type'), 'password', 'key hidden by default');
  await page.getByRole('button', { name: 'Show key', exact: true }).click();
  await eventually(() => key.getAttribute('type'), 'text', 'key shown as text');
  await page.getByRole('button', { name: 'Hide key', exact: true }).click();
  await eventually(() => key.getAttribute('type'), 'password', 'key hidden again');

  await page.getByRole('button', { name: 'Forget key', exact: true }).click();
  await eventually(() => key.inputValue(), '', 'field cleared');
  await eventually(
    () => page.evaluate((k) => JSON.stringify({ ...localStorage, ...sessionStorage }).includes(k), TEST_KEY),
    false,
    'key gone from storage',
  );

  await page.reload();
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  assert.equal(await ui.apiKey(page).inputValue(), '', 'still empty after reload');
});
