// The tab title has one writer (issue 12): a team's site name from config.json survives a
// language switch and a task that ends while the page is in the background.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, configure, fillForm, loadApp, setLanguage, shownTaskId, ui } from './ui.mjs';

/** Makes the page believe it is (or is no longer) in a background tab. */
async function setHidden(page, hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test.use({ simOptions: { pendingMs: 300, runningMs: 1_500 } });

test('a team site name stays in the title through a language switch and a task ending in the background', async ({ sim, page, tempSite }) => {
  const site = await tempSite({ files: { 'config.json': JSON.stringify({ site_name: 'Team Video Lab' }) } });
  await loadApp(page, site.url);
  await expect(page).toHaveTitle('Team Video Lab · wan-studio');
  await setLanguage(page, 'zh');
  await expect(page, 'the language switch keeps the site name').toHaveTitle('Team Video Lab · wan-studio');
  await setLanguage(page, 'en');
  await configure(page, { endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: 'A task that ends while nobody looks.' });
  await ui.generate(page).click();
  await shownTaskId(page);
  await setHidden(page, true);
  await expect(page).toHaveTitle('(1) ✓ Task ended · Team Video Lab · wan-studio', { timeout: 30_000 });
  await setHidden(page, false);
  await expect(page).toHaveTitle('Team Video Lab · wan-studio');
});
