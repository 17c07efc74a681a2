// The widths and languages the studio is checked at (issue 13: desktop and phone, English and
// Chinese), and the app's controls found by role and by the catalog's words in either language.
import { expect } from './fixtures.mjs';
import { t } from './ui.mjs';

/** Desktop and phone widths, each in one of the two languages. */
export const PROFILES = [
  { name: 'desktop 1280×800, English', lang: 'en', viewport: { width: 1280, height: 800 } },
  { name: 'desktop 1440×900, Chinese', lang: 'zh', viewport: { width: 1440, height: 900 } },
  { name: 'phone 375×667, English', lang: 'en', viewport: { width: 375, height: 667 } },
  { name: 'phone 360×740, Chinese', lang: 'zh', viewport: { width: 360, height: 740 } },
];

/** `test.use` options for a profile: its viewport, and a browser locale that picks its language. */
export const profileUse = ({ lang, viewport }) => ({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });

/** The studio's controls, named in `lang` ('en' or 'zh'). */
export function studio(lang) {
  const say = (key, args) => t(lang, key, args);
  const s = {
    say,
    generate: (page) => page.getByRole('button', { name: say('form.generate'), exact: true }),
    prompt: (page) => page.getByRole('textbox', { name: say('form.prompt'), exact: true }),
    seed: (page) => page.getByRole('textbox', { name: say('form.seed'), exact: true }),
    /** The size tile whose wire value is `wire` ('960*960'). */
    size: (page, wire) => page.getByRole('group', { name: say('form.size'), exact: true }).locator(`input[type="radio"][value="${wire}"]`),
    statusLine: (page) => page.locator('#generate-status'),
    tasks: (page) => page.locator('section').filter({ has: page.getByRole('heading', { name: say('tasks.heading'), exact: true }) }),
    card: (page, id) => s.tasks(page).getByRole('article', { name: say('card.aria', { id }) }),
    /** A take's status chip once it reads the catalog text of `key` ('status.succeeded'). */
    chip: (page, id, key) => s.card(page, id).getByRole('status').filter({ hasText: say(key) }).first(),
    toast: (page) => page.locator('.toast'),
    undo: (page) => s.toast(page).getByRole('button', { name: say('shared.undo'), exact: true }),
    /** A take's action: on the card, or in its "More" menu (opened first). */
    async action(page, id, label) {
      const direct = s.card(page, id).getByRole('button', { name: label, exact: true });
      if (await direct.isVisible()) return direct;
      await s.card(page, id).getByText(say('card.more'), { exact: true }).click();
      await expect(direct).toBeVisible();
      return direct;
    },
    /** The newest take's id (its card's accessible name is "Task <id>" / "任务 <id>"), once not in `known`. */
    async newestId(page, known = []) {
      let id;
      await expect
        .poll(async () => {
          const first = s.tasks(page).locator('article').first();
          const label = (await s.tasks(page).locator('article').count()) ? await first.getAttribute('aria-label') : null;
          id = label?.replace(say('card.aria', { id: '' }), '');
          return !!id && !known.includes(id);
        })
        .toBe(true);
      return id;
    },
  };
  return s;
}
