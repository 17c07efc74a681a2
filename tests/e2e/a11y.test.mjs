// Accessibility: axe-core finds no violations in the app's main states, in light and dark; the
// keyboard shortcut submits the form; the page fits a phone screen; the theme can be overridden.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  TEST_KEY,
  e2e,
  eventually,
  setLanguage,
  fillForm,
  loadApp,
  openApp,
  shownTaskId,
  ui,
  waitForStatus,
  waitForVideo,
} from './harness.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
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

async function auditSchemes(page, state) {
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    // page.evaluate goes through the DevTools protocol, so the page's CSP does not apply.
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    });
    for (const v of violations) {
      for (const n of v.nodes) {
        found.push(`[${state} / ${colorScheme}] ${v.id} (${v.impact}) ${n.target}\n    ${String(n.summary).replace(/\n/g, '\n    ')}`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: null, reducedMotion: null });
  return found;
}

e2e('a11y: no axe violations in the main states, English and Chinese, light and dark', { pendingMs: 1_500, runningMs: 5_000, timeout: 240_000 }, async ({ app, sim, page }) => {
  const all = [];
  await loadApp(page, app.url);
  all.push(...(await audit(page, 'empty form')));

  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: 'x'.repeat(1501) });
  await ui.generate(page).click();
  await page.getByRole('alert').filter({ hasText: '1500' }).first().waitFor();
  all.push(...(await audit(page, 'validation errors + custom endpoint')));

  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await shownTaskId(page);
  await waitForStatus(page, 'Running', { timeout: 30_000 });
  all.push(...(await audit(page, 'running task')));

  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  await waitForVideo(page);
  all.push(...(await audit(page, 'finished video')));

  await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' } });
  await fillForm(page, { prompt: `${PROMPT} Again.` });
  await ui.generate(page).click();
  await waitForStatus(page, 'Failed', { timeout: 60_000 });
  all.push(...(await audit(page, 'history: failed + succeeded')));

  // Next visit: Settings starts folded (key and endpoint stored).
  await page.reload();
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  await eventually(() => ui.settingsToggle(page).getAttribute('aria-expanded'), 'false', 'Settings folded');
  all.push(...(await audit(page, 'settings folded')));

  await ui.openSettings(page);
  all.push(...(await audit(page, 'settings open')));

  assert.equal(all.length, 0, `axe violations:\n${all.join('\n')}`);
});

e2e('keyboard: Ctrl+Enter / Cmd+Enter submits the form, after validation', { pendingMs: 500, runningMs: 1_500 }, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  // Invalid: nothing is sent, the error shows as with the Generate button.
  await fillForm(page, { prompt: 'x'.repeat(1501) });
  await ui.prompt(page).press('Control+Enter');
  await page.getByRole('alert').filter({ hasText: '1500' }).first().waitFor();
  assert.deepEqual(await sim.apiCalls(), [], 'nothing sent for an invalid form');

  await fillForm(page, { prompt: PROMPT });
  await ui.prompt(page).press('Control+Enter');
  const first = await shownTaskId(page);
  assert.equal((await sim.submits()).length, 1, 'Ctrl+Enter submitted once');

  // Cmd+Enter from another field.
  await fillForm(page, { prompt: `${PROMPT} Two.` });
  await ui.seed(page).press('Meta+Enter');
  await ui.cards(page).nth(1).waitFor();
  assert.equal((await sim.submits()).length, 2, 'Cmd+Enter submitted');
  assert.ok(first);
});

async function noHorizontalScroll(page, what) {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= 375, `${what}: page is ${sw} px wide in a ${w} px viewport`);
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

e2e('mobile: at 375x667 no horizontal scroll, 44 px buttons, the video fits', { pendingMs: 500, runningMs: 1_500 }, async ({ app, sim, page }) => {
  await page.setViewportSize({ width: 375, height: 667 });
  await loadApp(page, app.url);
  await noHorizontalScroll(page, 'empty state');
  assert.deepEqual(await smallButtons(page), [], 'buttons under 44 px (empty state)');

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
  assert.ok(await inView(), 'Generate is visible above the keyboard while typing the prompt');
  await ui.negativePrompt(page).click();
  await ui.negativePrompt(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  assert.ok(await inView(), 'and while typing the negative prompt');
  await page.setViewportSize({ width: 375, height: 667 });

  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
  await shownTaskId(page);
  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  await waitForVideo(page);
  await noHorizontalScroll(page, 'finished video');
  assert.deepEqual(await smallButtons(page), [], 'buttons under 44 px (finished video)');
  const box = await ui.task(page).locator('video').first().boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `video fits the width: ${JSON.stringify(box)}`);
});

e2e('a short laptop screen keeps Generate in reach while the prompt is in view', {}, async ({ app, page }) => {
  await page.setViewportSize({ width: 1280, height: 600 });
  await loadApp(page, app.url);
  await ui.prompt(page).click();
  const box = await ui.generate(page).boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 600, `Generate is on screen: ${JSON.stringify(box)}`);
  await page.setViewportSize({ width: 1280, height: 900 });
});

const DARK_BG = 'rgb(13, 17, 23)';
const LIGHT_BG = 'rgb(246, 247, 249)';
const bodyBg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const theme = (page) => page.getByRole('combobox', { name: 'Theme', exact: true });

e2e('theme: System follows the device; Light and Dark override it and survive a reload', {}, async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await loadApp(page, app.url);
  assert.equal(await theme(page).inputValue(), 'system', 'System by default');
  assert.deepEqual(
    await theme(page).locator('option').allInnerTexts(),
    ['System', 'Light', 'Dark'],
  );
  assert.equal(await bodyBg(page), LIGHT_BG, 'system light');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await bodyBg(page), DARK_BG, 'system dark');

  await page.emulateMedia({ colorScheme: 'light' });
  await theme(page).selectOption({ label: 'Dark' });
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), 'dark');
  await page.reload();
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
  assert.equal(await theme(page).inputValue(), 'dark', 'the choice survives a reload');
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);

  await page.emulateMedia({ colorScheme: 'dark' });
  await theme(page).selectOption({ label: 'Light' });
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, LIGHT_BG);
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), 'light');

  await theme(page).selectOption({ label: 'System' });
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await bodyBg(page), LIGHT_BG, 'System follows the device again');
  assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-theme')), false);
});
