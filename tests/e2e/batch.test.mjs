// Variations (issue 16): "Takes" makes 2–4 takes of the form, each with its own seed (or one per
// line of the prompt), sent one at a time and never beyond the account's five running tasks (the simulator enforces the limit too);
// the takes are one batch in history and open side by side once done. A refused take stops the
// batch (nothing is sent again by itself), and Stop sends no more.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fillForm, openApp, setKeepVideos, storedTasks, t, ui } from './ui.mjs';

const say = (key, args) => t('en', key, args);
const takes = (page) => page.getByRole('combobox', { name: say('form.takes'), exact: true });
const generateTakes = (page, n) => page.getByRole('button', { name: say('form.generate_takes', { n }), exact: true });
const status = (page) => page.locator('#generate-status');

/** Presses Generate once and waits until the simulator has the submit. */
async function oneTask(page, sim, prompt) {
  const before = (await sim.submits()).length;
  await fillForm(page, { prompt });
  await ui.generate(page).click();
  await expect.poll(async () => (await sim.submits()).length).toBe(before + 1);
  await expect(status(page)).toHaveText(say('generate.submitted'));
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 4_000 } });

  test('a batch of four with two tasks already running: sent one at a time within the limit of five, each with its own seed, tagged, and compared side by side once done', async ({ app, sim, page }) => {
    await sim.clock({ running_limit: 5 });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await setKeepVideos(page, 'never');
    await oneTask(page, sim, 'A lighthouse at dusk.');
    await oneTask(page, sim, 'A lighthouse at dawn.');

    await fillForm(page, { prompt: 'A red kite over the dunes.' });
    await takes(page).selectOption('4');
    await expect(page.locator('p.estimate'), 'the estimate for all four').toContainText(say('form.takes_estimate', { n: 4, amount: 'AMT' }).split('AMT')[0]);
    await generateTakes(page, 4).click();
    // Five running: the fourth take waits for one to end.
    await expect(status(page)).toHaveText(say('generate.batch_waiting', { take: 4, of: 4, limit: 5 }));
    await expect(page.getByRole('button', { name: say('form.stop_batch'), exact: true })).toBeVisible();
    await expect(status(page)).toHaveText(say('generate.batch_submitted', { n: 4 }), { timeout: 20_000 });

    const batch = (await sim.submits()).slice(2);
    expect(batch).toHaveLength(4);
    expect(batch.every((s) => s.json.input.prompt === 'A red kite over the dunes.')).toBe(true);
    const seeds = batch.map((s) => s.json.parameters.seed);
    expect(seeds.every(Number.isInteger), `seeds sent: ${seeds}`).toBe(true);
    expect(new Set(seeds).size, 'each take its own seed').toBe(4);
    for (let n = 1; n <= 4; n++) {
      await expect(ui.task(page).getByText(say('card.batch_take', { take: n, of: 4 }), { exact: true })).toHaveCount(1);
    }

    // Done: the four open side by side.
    const compare = page.getByRole('dialog', { name: say('compare.heading'), exact: true });
    await expect(compare).toBeVisible({ timeout: 20_000 });
    await expect(compare.locator('video')).toHaveCount(4);
    const shownSeeds = await compare.locator('figcaption').allInnerTexts();
    for (const s of seeds) expect(shownSeeds.join(' ')).toContain(String(s));

    // The four stay chosen: kept in this browser together (Settings says never by itself), and
    // saved as files together.
    await compare.getByRole('button', { name: say('compare.close'), exact: true }).click();
    const ids = (await storedTasks(page)).filter((x) => x.batch).map((x) => x.id);
    expect(ids).toHaveLength(4);
    await page.getByRole('button', { name: say('compare.keep', { n: 4 }), exact: true }).click();
    for (const id of ids) await expect(ui.card(page, id).getByText(/^Kept in this browser/)).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('button', { name: say('compare.keep', { n: 4 }), exact: true })).toHaveCount(0);
    const saved = [];
    page.on('download', (d) => saved.push(d.suggestedFilename()));
    await page.getByRole('button', { name: say('compare.save', { n: 4 }), exact: true }).click();
    await expect.poll(() => saved.slice().sort()).toEqual(ids.map((id) => `wan-${id}.mp4`).sort());
  });

  test('a take the account refuses stops the batch: the rest are not sent, and nothing is sent again', async ({ app, sim, page }) => {
    // Another device keeps the account busy: it allows one task at a time.
    await sim.clock({ running_limit: 1 });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await setKeepVideos(page, 'never');
    await fillForm(page, { prompt: 'Three takes of a fox.', seed: 100 });
    await takes(page).selectOption('3');
    await generateTakes(page, 3).click();
    await expect(status(page)).toHaveText(say('generate.batch_stopped', { sent: 1, of: 3, next: 2 }));
    const submits = await sim.submits();
    expect(submits.map((s) => s.json.parameters.seed), 'the first take as sent, the second refused').toEqual([100, 101]);
    await expect(ui.cards(page)).toHaveCount(1);
    await expect(generateTakes(page, 3)).toBeEnabled();
    expect(await sim.submits()).toHaveLength(2);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 30_000 } });

  test('Stop while a take waits for room: no more takes are sent', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await setKeepVideos(page, 'never');
    for (const n of [1, 2, 3, 4]) await oneTask(page, sim, `Busy ${n}.`);
    await fillForm(page, { prompt: 'Two takes of rain.' });
    await takes(page).selectOption('2');
    await generateTakes(page, 2).click();
    await expect(status(page)).toHaveText(say('generate.batch_waiting', { take: 2, of: 2, limit: 5 }));
    await page.getByRole('button', { name: say('form.stop_batch'), exact: true }).click();
    await expect(status(page)).toContainText(say('generate.batch_canceled', { sent: 1, of: 2 }));
    await expect(status(page), 'and why Generate waits').toContainText(say('form.running_limit', { n: 5 }));
    await expect(page.getByRole('button', { name: say('form.stop_batch'), exact: true })).toHaveCount(0);
    expect(await sim.submits()).toHaveLength(5);
  });
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('one take per prompt line: each line is sent as its own take with the form\'s seed; more lines than four are said and not sent', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await setKeepVideos(page, 'never');
    await takes(page).selectOption({ label: say('form.takes_lines') });
    const lines = ['A fox in snow.', 'A fox in rain.', 'A fox in fog.'];
    await fillForm(page, { prompt: [...lines, 'A fox at noon.', 'A fox at night.'].join('\n'), seed: 7 });
    await expect(status(page)).toHaveText(say('form.lines_over', { n: 5, max: 4 }));
    await expect(generateTakes(page, 4)).toBeDisabled();

    await ui.prompt(page).fill(`  ${lines[0]}\n\n${lines[1]}\n${lines[2]}\n`);
    await expect(status(page)).toBeEmpty();
    await expect(page.locator('p.estimate')).toContainText(say('form.takes_estimate', { n: 3, amount: 'AMT' }).split('AMT')[0]);
    await generateTakes(page, 3).click();
    await expect(status(page)).toHaveText(say('generate.batch_submitted', { n: 3 }), { timeout: 20_000 });
    const sent = await sim.submits();
    expect(sent.map((s) => s.json.input.prompt), 'one line each, trimmed').toEqual(lines);
    expect(sent.map((s) => s.json.parameters.seed), 'the form\'s seed').toEqual([7, 7, 7]);
    await expect(ui.task(page).getByText(say('card.batch_take', { take: 3, of: 3 }), { exact: true })).toHaveCount(1);
    const compare = page.getByRole('dialog', { name: say('compare.heading'), exact: true });
    await expect(compare).toBeVisible({ timeout: 20_000 });
    await expect(compare.locator('video')).toHaveCount(3);
  });
});
