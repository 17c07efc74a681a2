// The README's screenshots: one finished video with its history, on a desktop and a 375 px
// phone, light and dark, English and Chinese (docs/screenshots/<device>-<lang>-<scheme>.png).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { SCREENSHOTS, TEST_KEY, fillForm, openApp, setLanguage, shownTaskId, ui, waitForStatus, waitForVideo } from './ui.mjs';

// The desktop shot shows the top of the page (the form and the gallery side by side); the phone
// shot the gallery (the running take and the finished one), as a phone screen shows it.
const DEVICES = {
  desktop: { viewport: { width: 1280, height: 900 }, scrollToTasks: false },
  mobile: { viewport: { width: 375, height: 812 }, scrollToTasks: true },
};

test.use({ simOptions: { pendingMs: 500, runningMs: 30_000 } });

test('screenshots: desktop and mobile, light and dark, English and Chinese', async ({ app, sim, page }) => {
  test.setTimeout(240_000);
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: 'A paper boat drifting down a rainy street at dusk, close-up, soft light.', shotType: 'multi', promptExtend: true });
  await ui.generate(page).click();
  await shownTaskId(page);
  // Each task runs 30 s: the second one is still running while the screenshots are taken.
  await waitForStatus(page, 'Succeeded', { timeout: 90_000 });
  await waitForVideo(page);
  await fillForm(page, { prompt: '一只小猫将军站在黎明的悬崖上，金色铠甲，史诗感。' });
  await ui.generate(page).click();
  await expect(ui.cards(page).nth(1)).toBeVisible();
  // Settings fold away once set up; the screenshots show the everyday page.
  await page.reload();
  await expect(ui.generate(page)).toBeVisible();

  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const [device, { viewport, scrollToTasks }] of Object.entries(DEVICES)) {
    await page.setViewportSize(viewport);
    for (const lang of ['en', 'zh']) {
      await setLanguage(page, lang);
      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        if (scrollToTasks) {
          // The gallery from its filter chips: the running take and the finished one.
          await page.locator('fieldset.chips').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8));
        } else {
          await page.evaluate(() => window.scrollTo(0, 0));
        }
        await page.screenshot({ path: join(SCREENSHOTS, `${device}-${lang}-${colorScheme}.png`), animations: 'disabled' });
      }
    }
  }
  await setLanguage(page, 'en');
});
