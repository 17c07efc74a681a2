// Accessibility: axe-core finds no violations in the app's main states, in light and dark; the
// keyboard shortcut submits the form; the page fits a phone screen; the theme can be overridden.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, auditSchemes, cardAction, fillForm, loadApp, mounted, openApp, openCard, setLanguage, shownTaskId, ui, waitForStatus, waitForVideo } from './ui.mjs';

const PROMPT = 'A paper boat drifting down a rainy street, close-up, soft light.';

/** Runs axe in English and Chinese, light and dark; returns readable lines for every violation. */
async function audit(page, state) {
  const found = [];
  for (const lang of ['en', 'zh']) {
    await setLanguage(page, lang);
    found.push(...(await auditSchemes(page, `${state} / ${lang}`)));
  }
  await setLanguage(page, 'en');
  return found;
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 1_500, runningMs: 5_000 } });

  test('a11y: no axe violations in the main states, English and Chinese, light and dark', async ({ app, sim, page }) => {
    test.setTimeout(240_000);
    const all = [];
    await loadApp(page, app.url);
    all.push(...(await audit(page, 'empty form')));

    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: 'x'.repeat(1501) });
    await ui.generate(page).click();
    await expect(page.getByRole('alert').filter({ hasText: '1500' }).first()).toBeVisible();
    all.push(...(await audit(page, 'validation errors + custom endpoint')));

    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    const first = await shownTaskId(page);
    await waitForStatus(page, 'Running', { timeout: 30_000 });
    all.push(...(await audit(page, 'running task')));

    await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
    await waitForVideo(page);
    all.push(...(await audit(page, 'finished video')));

    await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' } });
    await fillForm(page, { prompt: `${PROMPT} Again.` });
    await ui.generate(page).click();
    const failed = await shownTaskId(page, { known: [first] });
    await waitForStatus(page, 'Failed', { timeout: 60_000 });
    all.push(...(await audit(page, 'history: failed + succeeded')));

    // A take opened in place (player, every detail) with its More menu open.
    await openCard(page, first);
    await cardAction(page, first, 'Copy link');
    all.push(...(await audit(page, 'take opened, menu open')));

    // Two finished takes compared in the dialog.
    await fillForm(page, { prompt: `${PROMPT} Once more.` });
    await ui.generate(page).click();
    const second = await shownTaskId(page, { known: [first, failed] });
    await expect(ui.cardStatus(page, second, 'Succeeded')).toBeVisible({ timeout: 60_000 });
    for (const id of [first, second]) await ui.card(page, id).getByRole('checkbox', { name: 'Compare this take' }).check();
    await page.getByRole('button', { name: 'Compare 2 takes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Compare takes' });
    await expect(dialog).toBeVisible();
    all.push(...(await audit(page, 'compare dialog')));
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // A toast with Undo after a delete.
    await (await cardAction(page, failed, 'Delete')).click();
    await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
    all.push(...(await audit(page, 'toast with Undo')));

    // Next visit: Settings starts folded (key and endpoint stored).
    await page.reload();
    await expect(mounted(page)).toBeVisible();
    await expect(ui.settingsToggle(page), 'Settings folded').toHaveAttribute('aria-expanded', 'false', { timeout: 5_000 });
    all.push(...(await audit(page, 'settings folded')));

    await ui.openSettings(page);
    all.push(...(await audit(page, 'settings open')));

    expect(all, `axe violations:\n${all.join('\n')}`).toEqual([]);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 500, runningMs: 1_500 } });

  test('keyboard: Ctrl+Enter / Cmd+Enter submits the form, after validation', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    // Invalid: nothing is sent, the error shows as with the Generate button.
    await fillForm(page, { prompt: 'x'.repeat(1501) });
    await ui.prompt(page).press('Control+Enter');
    await expect(page.getByRole('alert').filter({ hasText: '1500' }).first()).toBeVisible();
    expect(await sim.apiCalls(), 'nothing sent for an invalid form').toEqual([]);

    await fillForm(page, { prompt: PROMPT });
    await ui.prompt(page).press('Control+Enter');
    const first = await shownTaskId(page);
    expect(await sim.submits(), 'Ctrl+Enter submitted once').toHaveLength(1);

    // Cmd+Enter from another field.
    await fillForm(page, { prompt: `${PROMPT} Two.` });
    await ui.seed(page).press('Meta+Enter');
    await expect(ui.cards(page).nth(1)).toBeVisible();
    expect(await sim.submits(), 'Cmd+Enter submitted').toHaveLength(2);
    expect(first).toBeTruthy();
  });

  async function noHorizontalScroll(page, what) {
    const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
    expect(sw, `${what}: page is ${sw} px wide in a ${w} px viewport`).toBeLessThanOrEqual(375);
  }

  async function smallButtons(page) {
    return page.evaluate(() =>
      [...document.querySelectorAll('button, .button, [role="button"]')]
        .filter((b) => {
          const r = b.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && getComputedStyle(b).visibility !== 'hidden';
        })
        .map((b) => ({ text: (b.innerText || b.getAttribute('aria-label') || '').trim().slice(0, 40), h: b.getBoundingClientRect().height }))
        .filter((b) => b.h < 44),
    );
  }

  test('mobile: at 375x667 no horizontal scroll, 44 px buttons, the video fits', async ({ app, sim, page }) => {
    await page.setViewportSize({ width: 375, height: 667 });
    await loadApp(page, app.url);
    await noHorizontalScroll(page, 'empty state');
    expect(await smallButtons(page), 'buttons under 44 px (empty state)').toEqual([]);

    // An on-screen keyboard leaves ~350 px of a 667 px phone screen (the viewport shrinks: the page
    // asks for interactive-widget=resizes-content); typing in the prompt keeps Generate in view.
    await ui.prompt(page).click();
    await page.setViewportSize({ width: 375, height: 350 });
    await ui.prompt(page).press('End');
    await ui.prompt(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const inView = () => ui.generate(page).evaluate((b) => {
      const r = b.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(await inView(), 'Generate is visible above the keyboard while typing the prompt').toBe(true);
    await ui.negativePrompt(page).click();
    await ui.negativePrompt(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await inView(), 'and while typing the negative prompt').toBe(true);
    await page.setViewportSize({ width: 375, height: 667 });

    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await fillForm(page, { prompt: PROMPT });
    await ui.generate(page).click();
    await shownTaskId(page);
    await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
    await waitForVideo(page);
    await noHorizontalScroll(page, 'finished video');
    expect(await smallButtons(page), 'buttons under 44 px (finished video)').toEqual([]);
    const box = await ui.task(page).locator('video').first().boundingBox();
    expect(!!box && box.x >= 0 && box.x + box.width <= 375, `video fits the width: ${JSON.stringify(box)}`).toBe(true);
  });
});

test('a short laptop screen keeps Generate in reach while the prompt is in view', async ({ app, page }) => {
  await page.setViewportSize({ width: 1280, height: 600 });
  await loadApp(page, app.url);
  await ui.prompt(page).click();
  const box = await ui.generate(page).boundingBox();
  expect(!!box && box.y >= 0 && box.y + box.height <= 600, `Generate is on screen: ${JSON.stringify(box)}`).toBe(true);
  await page.setViewportSize({ width: 1280, height: 900 });
});

// The page background of each theme (--bg in style/main.css).
const DARK_BG = 'rgb(11, 15, 20)';
const LIGHT_BG = 'rgb(244, 245, 248)';
const bodyBg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const theme = (page) => page.getByRole('combobox', { name: 'Theme', exact: true });

test('theme: System follows the device; Light and Dark override it and survive a reload', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await loadApp(page, app.url);
  await expect(theme(page), 'System by default').toHaveValue('system');
  expect(await theme(page).locator('option').allInnerTexts()).toEqual(['System', 'Light', 'Dark']);
  expect(await bodyBg(page), 'system light').toBe(LIGHT_BG);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await bodyBg(page), 'system dark').toBe(DARK_BG);

  await page.emulateMedia({ colorScheme: 'light' });
  await theme(page).selectOption({ label: 'Dark' });
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
  await page.reload();
  await expect(mounted(page)).toBeVisible();
  await expect(theme(page), 'the choice survives a reload').toHaveValue('dark');
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);

  await page.emulateMedia({ colorScheme: 'dark' });
  await theme(page).selectOption({ label: 'Light' });
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, LIGHT_BG);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('light');

  await theme(page).selectOption({ label: 'System' });
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await bodyBg(page), 'System follows the device again').toBe(LIGHT_BG);
  await expect(page.locator('html'), 'no forced theme').not.toHaveAttribute('data-theme');
});
