// Failures the relay and the model can produce, injected through the simulator's fault API.
import assert from 'node:assert/strict';
import { TEST_KEY, chineseTextOf, e2e, fillForm, holdsFor, openApp, shownTaskId, ui, waitForStatus } from './harness.mjs';

const FAIL_MESSAGE = 'Input data may contain inappropriate content.';
const PROMPT = 'A small cartoon cat general in golden armour stands on a cliff at dawn.';

e2e('401 on submit: bilingual key error, no task, never re-sent', {}, async ({ app, sim, page }) => {
  await sim.fault({ on: 'submit', http: 401 });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();

  const alert = page.getByRole('alert').filter({ hasText: 'API key' }).first();
  await alert.waitFor();
  assert.match(await chineseTextOf(page, alert), /密钥/, 'the same error in Chinese');
  assert.equal(await ui.cards(page).count(), 0, 'no task card after a rejected submit');
  assert.equal((await sim.submits()).length, 1, 'exactly one submit');
  await holdsFor(async () => (await sim.submits()).length === 1, {
    during: 2_000,
    message: 'the submit is not re-sent automatically',
  });
  assert.equal((await sim.queries()).length, 0, 'nothing polled');
  assert.equal(await ui.cards(page).count(), 0, 'still no task card');
});

e2e('FAILED task: status Failed with the upstream code and an explanation', { pendingMs: 500, runningMs: 1_500 }, async ({ app, sim, page }) => {
  await sim.fault({
    on: 'submit',
    task_fails: { code: 'DataInspectionFailed', message: FAIL_MESSAGE },
  });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await shownTaskId(page);
  await waitForStatus(page, 'Failed', { timeout: 60_000 });
  const task = ui.task(page).first();
  await task.getByText('DataInspectionFailed').first().waitFor();
  // An explanation: the upstream message, or the app's own words about moderation.
  const text = await task.innerText();
  assert.ok(
    text.includes(FAIL_MESSAGE) || /moderat|rephras|审核/i.test(text),
    `an explanation accompanies the code; the Task section says:\n${text}`,
  );
  assert.equal(await task.locator('video').count(), 0, 'no video for a failed task');
});

// Retry-After is longer than the app's normal polling interval (5 s), so honouring it shows.
const RETRY_AFTER_S = 7;

e2e('429 while polling: the app honours Retry-After and the task still succeeds', { pendingMs: 500, runningMs: 2_000 }, async ({ app, sim, page }) => {
  await sim.fault({ on: 'query', http: 429, retry_after: RETRY_AFTER_S });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  const taskId = await shownTaskId(page);
  await waitForStatus(page, 'Succeeded', { timeout: 90_000 });

  const queries = await sim.queries();
  assert.ok(queries.length >= 2, `polled again after the 429 (${queries.length} queries)`);
  const gap = queries[1].at_ms - queries[0].at_ms;
  assert.ok(gap >= RETRY_AFTER_S * 1_000 - 100, `waited Retry-After (${RETRY_AFTER_S} s) before polling again; waited ${gap} ms`);
  for (const q of queries) assert.equal(q.json.input, taskId);
  assert.equal((await sim.submits()).length, 1, 'a 429 while polling never re-submits');
});
