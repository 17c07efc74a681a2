// Compare takes: three finished videos side by side in a dialog with room, played (all of them,
// once each is ready), paused and seeked together, with the settings that differ marked and
// formatted as everywhere else.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fillForm, openApp, pickSize, shownTaskId, ui } from './ui.mjs';

test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

test('three takes play, pause and seek together in a dialog, and their differing settings are marked', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const ids = [];
  for (const [seed, size] of [[11, '1920*1080'], [22, '1920*1080'], [33, '960*960']]) {
    await fillForm(page, { prompt: 'A fox in the snow.', seed });
    await pickSize(page, size);
    await ui.generate(page).click();
    ids.push(await shownTaskId(page, { known: ids }));
  }
  for (const id of ids) await expect(ui.cardStatus(page, id, 'Succeeded')).toBeVisible();
  for (const id of ids) await ui.card(page, id).getByRole('checkbox', { name: 'Compare this take' }).check();
  await page.getByRole('button', { name: 'Compare 3 takes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare takes' });
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('video')).toHaveCount(3);
  // Room: the players are large (not squeezed into a column).
  const widths = await dialog.locator('video').evaluateAll((vs) => vs.map((v) => v.getBoundingClientRect().width));
  for (const w of widths) expect(w, 'each player is at least 300 px wide').toBeGreaterThanOrEqual(300);

  const differing = await dialog.locator('tr.differs th').allInnerTexts();
  expect(differing.map((t) => t.replace(' ≠', '').trim())).toEqual(['Size', 'Seed']);
  await expect(dialog.locator('tr.differs').first().locator('td'), 'sizes as everywhere else').toHaveText(['1920×1080', '1920×1080', '960×960']);
  await expect(dialog.locator('tr.differs').last().locator('td'), 'in the order chosen').toHaveText(['11', '22', '33']);
  // Labels read whole (no header broken mid-word).
  await expect(dialog.getByRole('rowheader', { name: 'Prompt', exact: true })).toBeVisible();
  const oneLine = await dialog.getByRole('rowheader', { name: 'Prompt', exact: true }).evaluate((th) => th.getClientRects().length === 1 && th.offsetHeight < 40);
  expect(oneLine, '"Prompt" on one line').toBe(true);

  // Play all waits until each video is ready, then starts all three together.
  await dialog.getByRole('button', { name: 'Play all' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => !v.paused && v.currentTime > 0));
  await dialog.getByRole('button', { name: 'Pause all' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.paused));
  await dialog.getByRole('slider', { name: 'Position' }).fill('500');
  await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => Math.abs(v.currentTime - v.duration / 2) < 0.2));

  await dialog.getByRole('button', { name: 'Close comparison' }).click();
  await expect(dialog).toBeHidden();
  // Escape closes it too.
  await page.getByRole('button', { name: 'Compare 3 takes' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
