// Failures the relay and the model can produce, injected through the simulator's fault API.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, chineseTextOf, fastForward, fillForm, openApp, shownTaskId, ui, waitForStatus } from './ui.mjs';

const FAIL_MESSAGE = 'Input data may contain inappropriate content.';
const PROMPT = 'A small cartoon cat general in golden armour stands on a cliff at dawn.';

test('401 on submit: bilingual key error, no task, never re-sent', async ({ app, sim, page, pageRequests }) => {
  await page.clock.install();
  await sim.fault({ on: 'submit', http: 401 });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();

  const alert = page.getByRole('alert').filter({ hasText: 'API key' }).first();
  await expect(alert).toBeVisible();
  expect(await chineseTextOf(page, alert), 'the same error in Chinese').toMatch(/密钥/);
  await expect(ui.cards(page), 'no task card after a rejected submit').toHaveCount(0);
  expect(await sim.submits(), 'exactly one submit').toHaveLength(1);
  // Every timer of the next 30 s fired: the submit is not re-sent automatically.
  await fastForward(page, pageRequests);
  expect(await sim.submits(), 'the submit is not re-sent automatically').toHaveLength(1);
  expect(pageRequests.filter((r) => r.method === 'POST' && r.url === sim.endpoint), 'one POST from the page').toHaveLength(1);
  expect(await sim.queries(), 'nothing polled').toHaveLength(0);
  await expect(ui.cards(page), 'still no task card').toHaveCount(0);
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 500, runningMs: 1_500 } });

  test('FAILED task: status Failed with the upstream code and an explanation', async ({ app, sim, page }) => {
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
    await expect(task.getByText('DataInspectionFailed').first()).toBeVisible();
    // An explanation: the upstream message, or the app's own words about moderation.
    const text = await task.innerText();
    expect(
      text.includes(FAIL_MESSAGE) || /moderat|rephras|审核/i.test(text),
      `an explanation accompanies the code; the Task section says:\n${text}`,
    ).toBe(true);
    await expect(task.locator('video'), 'no video for a failed task').toHaveCount(0);
  });
});

// Retry-After is longer than the app's normal polling interval (5 s), so honouring it shows.
const RETRY_AFTER_S = 7;

test.describe(() => {
  test.use({ simOptions: { pendingMs: 500, runningMs: 2_000 } });

  test('429 while polling: the app honours Retry-After and the task still succeeds', async ({ app, sim, page }) => {
    await sim.fault({ on: 'query', http: 429, retry_after: RETRY_AFTER_S });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    const taskId = await shownTaskId(page);
    await waitForStatus(page, 'Succeeded', { timeout: 90_000 });

    const queries = await sim.queries();
    expect(queries.length, 'polled again after the 429').toBeGreaterThanOrEqual(2);
    const gap = queries[1].at_ms - queries[0].at_ms;
    expect(gap, `waited Retry-After (${RETRY_AFTER_S} s) before polling again`).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1_000 - 100);
    for (const q of queries) expect(q.json.input).toBe(taskId);
    expect(await sim.submits(), 'a 429 while polling never re-submits').toHaveLength(1);
  });
});
