// Compare takes: two finished videos side by side, played, paused and seeked together, with the
// settings that differ marked.
import assert from 'node:assert/strict';
import { TEST_KEY, e2e, fillForm, openApp, shownTaskId, ui, waitUntil } from './harness.mjs';

e2e('two takes play, pause and seek together, and their differing settings are marked', { pendingMs: 300, runningMs: 1_000 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const ids = [];
  for (const seed of [11, 22]) {
    await fillForm(page, { prompt: 'A fox in the snow.', seed });
    await ui.generate(page).click();
    ids.push(await waitUntil(async () => {
      const id = await shownTaskId(page);
      return !ids.includes(id) && id;
    }));
  }
  for (const id of ids) {
    await ui.task(page).getByRole('article', { name: `Task ${id}` }).getByRole('status').filter({ hasText: 'Succeeded' }).first().waitFor();
  }
  for (const id of ids) {
    await ui.task(page).getByRole('article', { name: `Task ${id}` }).getByRole('checkbox', { name: 'Compare this take' }).check();
  }
  const panel = page.getByRole('region', { name: 'Compare takes' });
  await panel.waitFor();
  assert.equal(await panel.locator('video').count(), 2);
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.readyState >= 2 && v.duration > 0));

  const differing = await panel.locator('tr.differs th').allInnerTexts();
  assert.deepEqual(differing.map((t) => t.replace(' ≠', '').trim()), ['Seed']);
  assert.deepEqual(await panel.locator('tr.differs td').allInnerTexts(), ['11', '22'], 'in the order chosen');

  await panel.getByRole('button', { name: 'Play all' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => !v.paused));
  await panel.getByRole('button', { name: 'Pause all' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.paused));
  await panel.getByRole('slider', { name: 'Position' }).fill('500');
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => Math.abs(v.currentTime - v.duration / 2) < 0.2));

  await panel.getByRole('button', { name: 'Close comparison' }).click();
  await panel.waitFor({ state: 'detached' });
});
