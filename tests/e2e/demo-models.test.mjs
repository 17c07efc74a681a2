// Demo mode (`?demo`) with every model and mode: each one's required inputs filled with public
// links, sent to the local simulator on the demo's fixed port (9090), and followed to "Succeeded".
// The modes are read from the model table (crates/wan-models/src/lib.rs, `Mode::key`).
//
// Because of the fixed port this file must run alone, like demo.test.mjs: it belongs in the
// EXCLUSIVE list of playwright.config.mjs ('**/demo-models.test.mjs').
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSim } from '../../scripts/lib/sim.mjs';
import { expect, test } from './fixtures.mjs';
import { ROOT, t, ui } from './ui.mjs';

const say = (key, args) => t('en', key, args);

/** The mode keys in the table's order: the match arms of `Mode::key`. */
function modeKeys() {
  const source = readFileSync(join(ROOT, 'crates/wan-models/src/lib.rs'), 'utf8');
  const body = source.match(/pub const fn key\(self\) -> &'static str \{([\s\S]*?)\n {4}\}/)?.[1] ?? '';
  return [...body.matchAll(/Mode::\w+\s*=>\s*"([^"]+)"/g)].map((m) => m[1]);
}
const MODES = modeKeys();

// Public links of each kind.
const IMAGE = 'https://example.com/a.png';
const IMAGE_2 = 'https://example.com/b.png';
const VIDEO = 'https://example.com/clip.mp4';

/**
 * What each mode needs besides a prompt (every mode takes one), by media input (the wire name
 * of its slot, whose label is the catalog's form.media.<slot>): the table's minimum counts, and one
 * reference where the mode needs "1–5 references in all".
 */
const NEEDS = {
  'wan2.6-t2v': {},
  'wan2.6-i2v': { img_url: [IMAGE] },
  'wan2.6-r2v': { reference_urls: [IMAGE] },
  'wan2.7-t2v': {},
  'wan2.7-first-frame': { first_frame: [IMAGE] },
  'wan2.7-first-last': { first_frame: [IMAGE], last_frame: [IMAGE_2] },
  'wan2.7-continue': { first_clip: [VIDEO] },
  'wan2.7-r2v': { reference_image: [IMAGE] },
  'wan2.7-storyboard': { reference_image: [IMAGE] },
  'wan2.7-edit': { video: [VIDEO] },
  'wan2.7-edit-images': { video: [VIDEO], reference_image: [IMAGE] },
  'happyhorse-1.0-t2v': {},
  'happyhorse-1.0-i2v': { first_frame: [IMAGE] },
  'happyhorse-1.0-r2v': { reference_image: [IMAGE] },
  'happyhorse-1.0-edit': { video: [VIDEO] },
  'happyhorse-1.1-t2v': {},
  'happyhorse-1.1-i2v': { first_frame: [IMAGE] },
  'happyhorse-1.1-r2v': { reference_image: [IMAGE] },
};

/** Every media input of any mode, by wire name (the audio track has its own field). */
const SLOTS = ['img_url', 'reference_urls', 'first_frame', 'last_frame', 'first_clip', 'reference_image', 'reference_video', 'video'];

const TASK_LABEL = /^Task\s+(\S+)$/;

const softly = expect.configure({ soft: true });

test('demo mode: every model and mode is sent to the local simulator and its take succeeds', async ({ app, page }) => {
  test.setTimeout(180_000);
  expect(Object.keys(NEEDS), 'the inputs of every mode of the table are known here').toEqual(MODES);
  const demoSim = await startSim({ port: 9090, pendingMs: 300, runningMs: 800 });
  try {
    await page.goto(app.url + '/?demo');
    await expect(page.getByRole('note', { name: say('settings.summary_demo'), exact: true }), 'demo mode is on').toBeVisible();
    const picker = page.getByRole('combobox', { name: say('form.mode'), exact: true });
    const form = ui.section(page, say('form.heading'));
    const taken = []; // { mode, id }

    for (const mode of MODES) {
      await picker.selectOption(mode);
      await expect(picker).toHaveValue(mode);
      await ui.prompt(page).fill(`A paper boat on a rainy street (${mode}).`);
      // Every media input this mode shows: its required links, the others empty (nothing carried
      // over from the previous mode). By label: wan2.6's img_url and wan2.7's and HappyHorse's
      // first_frame are both "First frame".
      const byLabel = {};
      for (const slot of SLOTS) (byLabel[say(`form.media.${slot}`)] ??= []).push(...(NEEDS[mode][slot] ?? []));
      for (const [label, urls] of Object.entries(byLabel)) {
        const box = form.getByRole('textbox', { name: label, exact: true });
        if (await box.count()) await box.fill(urls.join('\n'));
        else expect(urls, `${mode} shows an input "${label}"`).toEqual([]);
      }
      if (await ui.audioUrl(page).count()) await ui.audioUrl(page).fill('');

      const known = taken.map((x) => x.id);
      const sentBefore = (await demoSim.submits()).length;
      const alertsText = async () => (await page.getByRole('alert').allInnerTexts()).map((a) => a.trim()).filter(Boolean);
      const shownBefore = await alertsText();
      await ui.generate(page).click();
      // A new take in the gallery, or the form's errors: whichever comes first.
      let outcome;
      await expect
        .poll(
          async () => {
            const label = (await ui.cards(page).count()) ? await ui.cards(page).first().getAttribute('aria-label') : null;
            const id = label?.match(TASK_LABEL)?.[1];
            if (id && !known.includes(id)) return (outcome = { id });
            const alerts = (await alertsText()).filter((a) => !shownBefore.includes(a));
            return (outcome = alerts.length ? { alerts } : null);
          },
          { message: `${mode}: a task card or an error after Generate`, timeout: 20_000 },
        )
        .toBeTruthy();
      if (!outcome.id) {
        const sent = (await demoSim.submits()).slice(sentBefore).map((r) => JSON.stringify(r.json));
        expect
          .soft(outcome.alerts, `${mode}: no task card; the page says (above); the simulator received: ${sent.join('\n') || 'nothing'}`)
          .toEqual([]);
        continue;
      }
      taken.push({ mode, id: outcome.id });
      await expect.soft(ui.card(page, outcome.id), `${mode}: the card names the model`).toContainText(say(`mode.${mode}`));
    }

    // Every take ends (they run side by side), and ends "Succeeded"; a take that does not shows why.
    const ended = new RegExp(['status.succeeded', 'status.failed', 'status.canceled', 'status.unknown'].map((k) => say(k)).join('|'));
    for (const { mode, id } of taken) {
      let statuses = '';
      await softly
        .poll(async () => (statuses = (await ui.card(page, id).getByRole('status').allInnerTexts()).join(' | ')), {
          message: `${mode} (task ${id}): the take ends`,
          timeout: 45_000,
        })
        .toMatch(ended);
      const why = statuses.includes(say('status.succeeded')) ? '' : await ui.card(page, id).innerText();
      expect.soft(statuses, `${mode} (task ${id}): the take succeeds; its card says:\n${why}`).toContain(say('status.succeeded'));
    }
    expect(taken.map((x) => x.mode), 'every mode made a take').toEqual(MODES);
    expect((await demoSim.submits()).length, 'one submit per mode, all to the demo simulator on 9090').toBe(MODES.length);
  } finally {
    await demoSim.stop();
  }
});
