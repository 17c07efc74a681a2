// A studio, not a form (issue 13), at desktop and phone widths, in English and in Chinese:
// - feedback where the eye is: whatever Generate causes (a field to fix, no key, a refused submit,
//   offline, the running limit, success) is on screen without scrolling, once, with the focus
//   where the user acts next, and a new take is brought into view and highlighted;
// - a gallery of takes: compact cards (poster frame or status visual, chip, prompt, settings,
//   expiry) with the primary action on the card and the rest under More, opened in place with the
//   player and every detail, filter chips with counts, the form in view while the gallery scrolls;
// - safe edits: every destructive or replacing action (delete, clear finished, re-run / preset /
//   share link replacing the draft, import) says so in a toast on screen, with an Undo that works;
// - honest states: a task whose checking stopped reads "Paused — needs you", with the reason and
//   Check again beside it.
import { expect, test } from './fixtures.mjs';
import { PROFILES, profileUse, studio } from './studio-ui.mjs';
import { TEST_KEY, fillForm, seedConnection, ui } from './ui.mjs';

for (const profile of PROFILES) {
  const { name, lang, viewport } = profile;
  test.describe(name, () => {
    test.use({ ...profileUse(profile), simOptions: { pendingMs: 300, runningMs: 1_200 } });
    const { say, generate, prompt, statusLine, tasks, card, toast, chip, undo, action, newestId } = studio(lang);

    test('feedback where the eye is: every Generate outcome is on screen, announced once, with the focus where it helps', async ({ app, sim, page, context }) => {
      await page.goto(app.url + '/');
      await expect(generate(page)).toBeVisible();
      // The bar holds one live region for all of it.
      await expect(page.locator('.generate-bar [role="status"]')).toHaveCount(1);

      // 1. A field to fix: said in the bar, the field gets the focus, nothing is sent.
      await generate(page).click();
      await expect(statusLine(page)).toContainText(say('form.prompt'));
      await expect(statusLine(page)).toBeInViewport();
      await expect(prompt(page)).toBeFocused();

      // 2. No key: said in the bar, and Settings opens with the cursor in the key field, brought
      //    into view (on a phone that is where the eye goes).
      await prompt(page).fill('A lighthouse at dawn.');
      await generate(page).click();
      await expect(statusLine(page)).toContainText(say('settings.error.no_key').slice(0, 12));
      const keyField = page.getByRole('textbox', { name: say('settings.key_label'), exact: true });
      await expect(keyField).toBeFocused();
      await expect(keyField).toBeInViewport();

      // 3. A refused submit: the reason is in the bar, on screen.
      await seedConnection(page, app, { endpoint: sim.endpoint, key: TEST_KEY });
      await sim.fault({ on: 'submit', http: 401 });
      await generate(page).click();
      const reason = page.locator('.generate-bar').getByRole('alert');
      await expect(reason).toContainText('HTTP 401');
      await expect(reason).toBeInViewport();
      await expect(statusLine(page)).toHaveText(say('generate.refused'));

      // 4. Success: the new take is brought into view (below the form on a phone) and highlighted.
      await generate(page).click();
      const id = await newestId(page);
      await expect(statusLine(page)).toHaveText(say('generate.submitted'));
      await expect(card(page, id)).toBeInViewport();
      await expect(card(page, id)).toHaveClass(/\bfresh\b/);
      expect(await sim.submits(), 'the refused submit and this one').toHaveLength(2);

      // 5. Offline, then Ctrl+Enter from the prompt: said in the bar, on screen; nothing is sent.
      await context.setOffline(true);
      await prompt(page).focus();
      await page.keyboard.press('Control+Enter');
      await expect(statusLine(page)).toHaveText(say('form.offline'));
      await expect(statusLine(page)).toBeInViewport();
      await expect(generate(page)).toBeDisabled();
      await context.setOffline(false);
      await expect(generate(page)).toBeEnabled();
    });

    test('feedback where the eye is: the running limit is said in the bar', async ({ app, sim, page }) => {
      await seedConnection(page, app, { endpoint: sim.endpoint, key: TEST_KEY });
      const now = Date.now();
      const running = Array.from({ length: 5 }, (_, i) => ({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        request: null,
        endpoint: sim.endpoint,
        submitted_at_ms: now,
        snapshot: { status: 'Running', submit_time: null, scheduled_time: null, end_time: null, video_url: null, code: null, message: null },
        paused: false,
        origin: 'Submitted',
      }));
      await page.evaluate((tasks) => localStorage.setItem('wan-studio.tasks.v1', JSON.stringify({ version: 1, tasks })), running);
      await page.reload();
      await expect(statusLine(page)).toHaveText(say('form.running_limit', { n: 5 }));
      await expect(statusLine(page)).toBeInViewport();
      await expect(generate(page)).toBeDisabled();
    });

    test('a gallery of takes: compact cards with the primary action, the rest under More, opened in place; filter chips with counts', async ({ app, sim, page }) => {
      await seedConnection(page, app, { endpoint: sim.endpoint, key: TEST_KEY });
      const kite = 'A red kite over green hills, wide shot.';
      await prompt(page).fill(kite);
      await generate(page).click();
      const ok = await newestId(page);
      await expect(chip(page, ok, 'status.succeeded')).toBeVisible({ timeout: 30_000 });
      await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' } });
      await prompt(page).fill('A take the service refuses.');
      await generate(page).click();
      const bad = await newestId(page, [ok]);
      await expect(chip(page, bad, 'status.failed')).toBeVisible({ timeout: 30_000 });
      // A new take opens where it is made; on the next visit every take is compact.
      await expect(card(page, bad)).toHaveClass(/\bopen\b/);
      await page.reload();
      await expect(card(page, bad)).not.toHaveClass(/\bopen\b/);

      // Compact: a poster frame (a named video, no controls) or a status visual; the chip, the
      // prompt, the settings as the app writes them, the link's expiry.
      const poster = card(page, ok).locator('video');
      await expect(poster).toHaveAccessibleName(say('card.video_label', { prompt: kite }));
      await expect(poster).not.toHaveAttribute('controls');
      await expect(card(page, bad).locator('.take-media')).toContainText(say('status.failed'));
      await expect(card(page, ok)).toContainText(kite);
      const settings = say('card.settings', { model: say('mode.wan2.6-t2v'), size: '1920×1080', duration: say('time.span_s', { s: 5 }) });
      await expect(card(page, ok)).toContainText(say('card.settings_shot', { settings, shot: say('card.shot_single') }));
      // Kept in the browser as it succeeded (the default): the line that matters says so.
      await expect(card(page, ok)).toContainText(say('keep.kept', { bytes: '' }).slice(0, 6));
      for (const id of [ok, bad]) {
        const { height } = await card(page, id).boundingBox();
        expect(height, 'a compact card (a take used to take over 500 px of player alone)').toBeLessThan(500);
      }
      if (viewport.width >= 1024) {
        const [a, b] = await Promise.all([card(page, ok).boundingBox(), card(page, bad).boundingBox()]);
        expect(Math.abs(a.y - b.y), 'two takes side by side').toBeLessThan(2);
      }

      // The primary action on the card; the rest under More.
      await expect(card(page, ok).getByRole('button', { name: say('video.download'), exact: true })).toBeVisible();
      await expect(card(page, bad).getByRole('button', { name: say('card.rerun'), exact: true }).first()).toBeVisible();
      const del = card(page, ok).getByRole('button', { name: say('card.delete'), exact: true });
      await expect(del).toBeHidden();
      await card(page, ok).getByText(say('card.more'), { exact: true }).click();
      await expect(del).toBeVisible();
      await card(page, ok).getByText(say('card.more'), { exact: true }).click();
      await expect(del).toBeHidden();

      // Opened in place: the player with controls, and every detail.
      const details = card(page, ok).getByRole('button', { name: say('card.details'), exact: true });
      await details.click();
      await expect(card(page, ok).getByRole('button', { name: say('card.hide_details'), exact: true })).toHaveAttribute('aria-expanded', 'true');
      await expect(poster).toHaveAttribute('controls');
      await expect(card(page, ok).getByText(say('card.task_id'), { exact: true })).toBeVisible();
      await expect(card(page, ok)).toContainText(ok);
      await page.waitForFunction(() => {
        const v = document.querySelector('.take.open video');
        return v && v.readyState >= 2;
      });
      const box = await poster.boundingBox();
      expect(box.x, 'the player fits the screen').toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'no horizontal scroll').toBe(true);

      // Filter chips with counts.
      const chipOf = (key, n) => tasks(page).getByRole('radio', { name: `${say(key)} ${n}`, exact: true });
      await expect(chipOf('history.filter.all', 2)).toBeChecked();
      await expect(chipOf('history.filter.problems', 1)).toBeVisible();
      await chipOf('history.filter.succeeded', 1).check();
      await expect(card(page, bad)).toHaveCount(0);
      await expect(card(page, ok)).toBeVisible();
      await chipOf('history.filter.all', 2).check();

      // On a wide screen the form stays in view while the gallery scrolls.
      if (viewport.width >= 1024) {
        const now = Date.now();
        const more = Array.from({ length: 12 }, (_, i) => ({
          id: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
          request: null,
          endpoint: sim.endpoint,
          submitted_at_ms: now - (i + 10) * 60_000,
          snapshot: { status: 'Failed', submit_time: null, scheduled_time: null, end_time: null, video_url: null, code: 'X', message: 'x' },
          paused: false,
          origin: 'Submitted',
        }));
        // A ledger left by an earlier build: moved into the database (beside what is there) on load.
        await page.evaluate((extra) => localStorage.setItem('wan-studio.tasks.v1', JSON.stringify({ version: 1, tasks: extra })), more);
        await page.reload();
        const last = card(page, more[more.length - 1].id);
        await last.scrollIntoViewIfNeeded();
        await expect(last).toBeInViewport();
        await expect(page.getByRole('heading', { name: say('form.heading'), exact: true })).toBeInViewport();
        await expect(generate(page)).toBeInViewport();
      }
    });

    test('safe edits: every destructive or replacing action has an Undo on screen that works', async ({ app, sim, page, tempSite }) => {
      const site = await tempSite({ files: { 'config.json': JSON.stringify({ presets: [{ title: 'Cat general', settings: { prompt: 'A cat general.' } }] }) } });
      await seedConnection(page, site, { endpoint: sim.endpoint, key: TEST_KEY });
      await prompt(page).fill('A paper boat on a rainy street.');
      await generate(page).click();
      const id = await newestId(page);
      await expect(card(page, id).getByRole('status').filter({ hasText: say('status.succeeded') })).toBeVisible({ timeout: 30_000 });

      // Delete (a destructive button that looks it), Undo, and the focus lands on the take.
      const del = await action(page, id, say('card.delete'));
      await expect(del).toHaveClass(/\bdanger\b/);
      await del.click();
      await expect(card(page, id)).toHaveCount(0);
      await expect(undo(page)).toBeInViewport();
      await undo(page).click();
      await expect(card(page, id)).toBeVisible();
      await expect(card(page, id)).toBeFocused();

      // Clear finished, Undo.
      await tasks(page).getByRole('button', { name: say('tasks.clear_finished'), exact: true }).click();
      await expect(card(page, id)).toHaveCount(0);
      await undo(page).click();
      await expect(card(page, id)).toBeVisible();

      // Re-run replacing a draft, Undo brings the draft back.
      await prompt(page).fill('My own draft, not to be lost.');
      await (await action(page, id, say('card.rerun'))).click();
      await expect(prompt(page)).toHaveValue('A paper boat on a rainy street.');
      await expect(undo(page)).toBeInViewport();
      await undo(page).click();
      await expect(prompt(page)).toHaveValue('My own draft, not to be lost.');
      await expect(prompt(page)).toBeFocused();

      // A preset replacing the draft, Undo.
      await page.getByRole('combobox', { name: say('share.presets'), exact: true }).selectOption({ label: 'Cat general' });
      await expect(prompt(page)).toHaveValue('A cat general.');
      await undo(page).click();
      await expect(prompt(page)).toHaveValue('My own draft, not to be lost.');

      // A share link opened in the page, Undo.
      await page.getByRole('button', { name: say('share.button'), exact: true }).click();
      const link = await page.getByRole('textbox', { name: say('share.link'), exact: true }).inputValue();
      await prompt(page).fill('Another draft.');
      await page.evaluate((hash) => (window.location.hash = hash), link.split('#')[1]);
      await expect(prompt(page)).toHaveValue('My own draft, not to be lost.');
      await expect(toast(page)).toContainText(say('shared.loaded').slice(0, 10));
      await undo(page).click();
      await expect(prompt(page)).toHaveValue('Another draft.');

      // An import, Undo removes what it added.
      const imported = {
        id: '11111111-2222-4333-8444-555555555555',
        request: null,
        endpoint: sim.endpoint,
        submitted_at_ms: Date.now() - 3 * 86_400_000,
        snapshot: { status: 'Succeeded', submit_time: null, scheduled_time: null, end_time: null, video_url: null, code: null, message: null },
        paused: false,
        origin: 'Submitted',
      };
      const body = JSON.stringify({ format: 'wan-studio-history', version: 1, exported_at_ms: Date.now(), tasks: [imported] });
      await page.locator('input[type="file"]').setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(body) });
      await expect(card(page, imported.id)).toBeVisible();
      await expect(undo(page)).toBeInViewport();
      await undo(page).click();
      await expect(card(page, imported.id)).toHaveCount(0);
      await expect(card(page, id)).toBeVisible();
    });

    test('honest states: a task whose checking stopped reads "Paused — needs you", with the reason and Check again beside it', async ({ app, sim, page }) => {
      await seedConnection(page, app, { endpoint: sim.endpoint, key: TEST_KEY });
      await sim.fault({ on: 'query', http: 401 });
      await prompt(page).fill('A task whose first check is refused.');
      await generate(page).click();
      const id = await newestId(page);
      const chip = card(page, id).getByRole('status').filter({ hasText: say('card.paused_chip') });
      await expect(chip).toBeVisible({ timeout: 20_000 });
      // The reason and the way out sit in the card itself, not only in its details.
      await expect(card(page, id).locator('.take-now.reason')).toContainText(say('error.http_401').slice(0, 10));
      const again = card(page, id).getByRole('button', { name: say('card.check_again'), exact: true });
      await expect(again).toBeVisible();
      // It does not claim to check by itself.
      await expect(card(page, id)).not.toContainText(say('status.pending_hint').slice(0, 12));
      await again.click();
      await expect(card(page, id).getByRole('status').filter({ hasText: say('status.succeeded') })).toBeVisible({ timeout: 30_000 });
    });
  });
}

test('an uncertain submit is shown as such, without an internal id', async ({ app, sim, page }) => {
  await seedConnection(page, app, { endpoint: sim.endpoint, key: TEST_KEY });
  await sim.fault({ on: 'submit', http: 502 });
  await fillForm(page, { prompt: 'A submit whose reply never came.' });
  await ui.generate(page).click();
  const unconfirmed = ui.cards(page).filter({ hasText: 'May have been created' });
  await expect(unconfirmed).toHaveCount(1);
  await unconfirmed.getByRole('button', { name: 'Details', exact: true }).click();
  await expect(unconfirmed.getByText('not known (no reply arrived)')).toBeVisible();
  await expect(unconfirmed, 'no internal placeholder shown').not.toContainText('unconfirmed-');
  await expect(ui.section(page, 'New video').locator('#generate-status')).toContainText('may have been created');
});
