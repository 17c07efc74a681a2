// Compare takes, at desktop and phone widths in English and Chinese: three finished videos in a
// dialog with room, played (all of them, once each is ready), paused and seeked together, with the
// settings that differ marked and formatted as everywhere else.
import { expect, test } from './fixtures.mjs';
import { PROFILES, profileUse, studio } from './studio-ui.mjs';
import { TEST_KEY, seedConnection } from './ui.mjs';

for (const profile of PROFILES) {
  const { name, lang, viewport } = profile;
  test.describe(name, () => {
    test.use({ ...profileUse(profile), simOptions: { pendingMs: 300, runningMs: 1_000 } });
    const { say, generate, prompt, seed, size, card, chip, newestId } = studio(lang);

    test('three takes play, pause and seek together in a dialog, and their differing settings are marked', async ({ app, sim, page }) => {
      await seedConnection(page, app, { endpoint: sim.endpoint, key: TEST_KEY });
      const ids = [];
      for (const [s, wire] of [[11, '1920*1080'], [22, '1920*1080'], [33, '960*960']]) {
        await prompt(page).fill('A fox in the snow.');
        await seed(page).fill(String(s));
        await size(page, wire).check();
        await generate(page).click();
        ids.push(await newestId(page, ids));
      }
      for (const id of ids) await expect(chip(page, id, 'status.succeeded')).toBeVisible({ timeout: 30_000 });
      for (const id of ids) await card(page, id).getByRole('checkbox', { name: say('card.compare'), exact: true }).check();
      await page.getByRole('button', { name: say('compare.open', { n: 3 }), exact: true }).click();
      const dialog = page.getByRole('dialog', { name: say('compare.heading'), exact: true });
      await expect(dialog).toBeVisible();
      await expect(dialog.locator('video')).toHaveCount(3);
      // Room: large players (not squeezed into a column), each on screen's width.
      const boxes = await dialog.locator('video').evaluateAll((vs) => vs.map((v) => v.getBoundingClientRect().toJSON()));
      for (const b of boxes) {
        expect(b.width, 'a large player').toBeGreaterThanOrEqual(Math.min(300, viewport.width - 64));
        expect(b.left, 'within the screen').toBeGreaterThanOrEqual(0);
        expect(b.right, 'within the screen').toBeLessThanOrEqual(viewport.width);
      }

      const differing = await dialog.locator('tr.differs th').allInnerTexts();
      expect(differing.map((h) => h.replace('≠', '').trim())).toEqual([say('compare.field.size'), say('compare.field.seed')]);
      await expect(dialog.locator('tr.differs').first().locator('td'), 'sizes as everywhere else').toHaveText(['1920×1080', '1920×1080', '960×960']);
      await expect(dialog.locator('tr.differs').last().locator('td'), 'in the order chosen').toHaveText(['11', '22', '33']);
      // Labels read whole: no header broken over lines (it was "Prom/pt"), and none cut off.
      await expect(dialog.getByRole('rowheader', { name: say('compare.field.prompt'), exact: true })).toBeVisible();
      const broken = await dialog.getByRole('rowheader').evaluateAll((ths) =>
        ths
          .filter((th) => {
            const range = document.createRange();
            range.selectNodeContents(th);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            return lines.size !== 1 || th.scrollWidth > th.clientWidth;
          })
          .map((th) => th.textContent),
      );
      expect(broken, 'row labels on one line each').toEqual([]);

      // Play all waits until each video is ready, then starts all three together.
      await dialog.getByRole('button', { name: say('compare.play_all'), exact: true }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => !v.paused && v.currentTime > 0));
      await dialog.getByRole('button', { name: say('compare.pause_all'), exact: true }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.paused));
      await dialog.getByRole('slider', { name: say('compare.position'), exact: true }).fill('500');
      await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => Math.abs(v.currentTime - v.duration / 2) < 0.2));

      await dialog.getByRole('button', { name: say('compare.close'), exact: true }).click();
      await expect(dialog).toBeHidden();
      // Escape closes it too.
      await page.getByRole('button', { name: say('compare.open', { n: 3 }), exact: true }).click();
      await expect(dialog).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
    });
  });
}
