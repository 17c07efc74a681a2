// Compare takes: two finished videos side by side, played, paused and seeked together, with the
// settings that differ marked.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fillForm, openApp, shownTaskId, ui } from './ui.mjs';

test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

test('two takes play, pause and seek together, and their differing settings are marked', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const ids = [];
  for (const seed of [11, 22]) {
    await fillForm(page, { prompt: 'A fox in the snow.', seed });
    await ui.generate(page).click();
    ids.push(await shownTaskId(page, { known: ids }));
  }
  for (const id of ids) await expect(ui.cardStatus(page, id, 'Succeeded')).toBeVisible();
  for (const id of ids) await ui.card(page, id).getByRole('checkbox', { name: 'Compare this take' }).check();
  const panel = page.getByRole('region', { name: 'Compare takes' });
  await expect(panel).toBeVisible();
  await expect(panel.locator('video')).toHaveCount(2);
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.readyState >= 2 && v.duration > 0));

  const differing = await panel.locator('tr.differs th').allInnerTexts();
  expect(differing.map((t) => t.replace(' ≠', '').trim())).toEqual(['Seed']);
  await expect(panel.locator('tr.differs td'), 'in the order chosen').toHaveText(['11', '22']);

  await panel.getByRole('button', { name: 'Play all' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => !v.paused));
  await panel.getByRole('button', { name: 'Pause all' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.paused));
  await panel.getByRole('slider', { name: 'Position' }).fill('500');
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => Math.abs(v.currentTime - v.duration / 2) < 0.2));

  await panel.getByRole('button', { name: 'Close comparison' }).click();
  await expect(panel).toHaveCount(0);
});
