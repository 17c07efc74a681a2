// Demo mode keeps its own history and settings, is clearly marked while active, and leaves
// nothing behind (issue 13), at desktop and phone widths in English and Chinese. It talks to the
// simulator on the demo's fixed port, 9090, so this file runs alone (the "exclusive" project).
import { startSim } from '../../scripts/lib/sim.mjs';
import { expect, test } from './fixtures.mjs';
import { PROFILES, profileUse, studio } from './studio-ui.mjs';
import { TEST_KEY, seedConnection } from './ui.mjs';

for (const profile of PROFILES) {
  const { name, lang } = profile;
  test.describe(name, () => {
    test.use({ ...profileUse(profile), simOptions: { pendingMs: 300, runningMs: 800 } });
    const { say, generate, prompt, card, chip, newestId } = studio(lang);
    const asyncHeader = (page) => {
      const named = { name: say('settings.async_label', { header: 'X-DashScope-Async' }), exact: true };
      return page.getByRole('checkbox', named).or(page.getByRole('switch', named));
    };
    const openSettings = async (page) => {
      const toggle = page.getByRole('button', { name: say('settings.title'), exact: true });
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    };

    test('demo mode has its own tasks, settings and draft, is marked, and leaves nothing behind', async ({ app, sim, page }) => {
      const demoSim = await startSim({ port: 9090, pendingMs: 300, runningMs: 800 });
      try {
        // The real thing: a task, a draft and a setting of the user's own.
        await seedConnection(page, app, { endpoint: sim.endpoint, key: TEST_KEY });
        await prompt(page).fill('A real task.');
        await generate(page).click();
        const real = await newestId(page);
        await expect(chip(page, real, 'status.succeeded')).toBeVisible({ timeout: 30_000 });
        await prompt(page).fill('My real draft.');

        // Demo mode: marked at the top, none of the real tasks, its own draft.
        await page.goto(app.url + '/?demo');
        const banner = page.getByRole('note', { name: say('settings.summary_demo'), exact: true });
        await expect(banner).toBeVisible();
        await expect(banner).toBeInViewport();
        await expect(banner).toContainText(say('settings.demo_note', { endpoint: 'http://127.0.0.1:9090' }).slice(0, 8));
        await expect(card(page, real)).toHaveCount(0);
        await expect(prompt(page)).toHaveValue('');
        await openSettings(page);
        await asyncHeader(page).setChecked(false);
        await prompt(page).fill('A demo task.');
        await generate(page).click();
        const demo = await newestId(page);
        await expect(chip(page, demo, 'status.succeeded')).toBeVisible({ timeout: 30_000 });
        expect(await demoSim.submits(), 'the demo talks to the simulator on 9090').toHaveLength(1);
        expect(await sim.submits(), 'and never to the real endpoint').toHaveLength(1);

        // Leaving: the real page as it was; nothing of the demo left in any storage.
        await banner.getByRole('link', { name: say('settings.leave_demo'), exact: true }).click();
        await expect(page).toHaveURL(`${app.url}/`);
        await expect(card(page, real)).toBeVisible();
        await expect(card(page, demo)).toHaveCount(0);
        await expect(prompt(page)).toHaveValue('My real draft.');
        await openSettings(page);
        await expect(asyncHeader(page), 'the real setting untouched').toBeChecked();
        const leftovers = await page.evaluate(() =>
          [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.includes('demo') || (localStorage.getItem(k) ?? sessionStorage.getItem(k) ?? '').includes('A demo task')),
        );
        expect(leftovers, 'nothing of the demo is stored').toEqual([]);
        await expect(page.getByText(say('tasks.spend', { amount: '5.00 CNY' })), 'spend counts the real task only').toBeVisible();
      } finally {
        await demoSim.stop();
      }
    });
  });
}
