// Every model and mode, run from the page against the simulator: the mode picked in the form, its
// own fields filled from its DMXAPI page's request (tests/fixtures/models/), and what the page
// sends compared with that request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { studio } from './studio-ui.mjs';
import { ROOT, TEST_KEY, openApp, shownTaskId, storedTasks, t, ui } from './ui.mjs';

const say = (key, args) => t('en', key, args);
const PAGES = join(ROOT, 'tests/fixtures/models');

/** The mode each page shows (the picker's value). */
const MODE_OF = {
  'wan2.6-t2v': 'wan2.6-t2v',
  'wan2.6-i2v': 'wan2.6-i2v',
  'wan2.6-r2v': 'wan2.6-r2v',
  'wan2.7-t2v-2026-06-12-text-to-video': 'wan2.7-t2v',
  'wan2.7-i2v-2026-04-25-first-frame-to-video': 'wan2.7-first-frame',
  'wan2.7-i2v-2026-04-25-first-last-frame-to-video': 'wan2.7-first-last',
  'wan2.7-i2v-2026-04-25-video-continuation': 'wan2.7-continue',
  'wan2.7-r2v-2026-06-12-multi-subject-reference-to-video': 'wan2.7-r2v',
  'wan2.7-r2v-2026-06-12-single-image-storyboard-to-video': 'wan2.7-storyboard',
  'wan2.7-videoedit-instruction-video-editing': 'wan2.7-edit',
  'wan2.7-videoedit-instruction-reference-image-editing': 'wan2.7-edit-images',
  'happyhorse-1.0-t2v-text-to-video': 'happyhorse-1.0-t2v',
  'happyhorse-1.0-i2v-image-to-video': 'happyhorse-1.0-i2v',
  'happyhorse-1.0-r2v-reference-to-video': 'happyhorse-1.0-r2v',
  'happyhorse-1.0-video-edit-video-editing': 'happyhorse-1.0-edit',
  'happyhorse-1.1-t2v-text-to-video': 'happyhorse-1.1-t2v',
  'happyhorse-1.1-i2v-image-to-video': 'happyhorse-1.1-i2v',
  'happyhorse-1.1-r2v-reference-to-video': 'happyhorse-1.1-r2v',
};

/** What each page's submit was billed (`usage.total_tokens`), as the simulator bills it too. */
const BILLED = Object.fromEntries(JSON.parse(readFileSync(join(PAGES, 'index.json'), 'utf8')).map((p) => [p.dir, p.total_tokens]));

// A real 1×1 PNG, for the pages' local files (their fixtures hold a placeholder).
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * The page's request as this build sends it: local-file placeholders replaced by a real data URL;
 * media items in slot order (the form has one input per slot; wan2.7 numbers images and videos
 * apart, so the order across slots names nothing); an empty negative prompt left out (the page
 * never sends an empty text).
 */
function expected(dir) {
  const page = JSON.parse(readFileSync(join(PAGES, dir, 'submit-request.json'), 'utf8'));
  const input = Array.isArray(page.input) ? page.input[0] : page.input;
  if (input.negative_prompt === '') delete input.negative_prompt;
  if (input.media) {
    for (const m of input.media) {
      if (m.url.includes('FIXTURE PLACEHOLDER')) m.url = PNG;
    }
    input.media.sort((a, b) => a.type.localeCompare(b.type));
  }
  return page;
}

/** What the page sent, in the same order. */
function sent(body) {
  const input = Array.isArray(body.input) ? body.input[0] : body.input;
  input.media?.sort((a, b) => a.type.localeCompare(b.type));
  return body;
}

/** The media inputs of every mode, by wire name (the audio track has its own field). */
const SLOTS = ['img_url', 'reference_urls', 'first_frame', 'last_frame', 'first_clip', 'reference_image', 'reference_video', 'video'];

/** Fills the form of `mode` from the page's request `req`. */
async function fillFrom(page, mode, req) {
  await page.getByRole('combobox', { name: say('form.mode'), exact: true }).selectOption(mode);
  const input = Array.isArray(req.input) ? req.input[0] : req.input;
  const p = req.parameters;
  // Every field this mode shows is set, so nothing typed for the previous mode is carried over.
  await ui.prompt(page).fill(input.prompt ?? '');
  if (await ui.negativePrompt(page).count()) await ui.negativePrompt(page).fill(input.negative_prompt ?? '');
  // Links by input: wan2.6's named fields, or media items by type.
  const links = {};
  const add = (slot, url) => (links[slot] ??= []).push(url);
  if (input.img_url) add('img_url', input.img_url);
  for (const url of input.reference_urls ?? []) add('reference_urls', url);
  for (const m of input.media ?? []) add(m.type, m.url);
  const audio = input.audio_url ?? links.driving_audio?.[0];
  // By label: wan2.6's img_url and wan2.7's first_frame are both "First frame".
  const byLabel = {};
  for (const slot of SLOTS) (byLabel[say(`form.media.${slot}`)] ??= []).push(...(links[slot] ?? []));
  for (const [label, urls] of Object.entries(byLabel)) {
    const box = page.getByRole('textbox', { name: label, exact: true });
    if (await box.count()) await box.fill(urls.join('\n'));
    else expect(urls, `${mode} shows an input "${label}"`).toEqual([]);
  }
  // wan2.7-r2v: each reference's voice, by its token (图n for images, 视频n for videos, numbered apart).
  const seen = {};
  for (const m of input.media ?? []) {
    const n = (seen[m.type] = (seen[m.type] ?? 0) + 1);
    if (!m.reference_voice) continue;
    const token = `${m.type === 'reference_video' ? '视频' : '图'}${n}`;
    await page.getByRole('textbox', { name: say('form.reference_voice', { token }), exact: true }).fill(m.reference_voice);
  }
  if (await ui.audioUrl(page).count()) await ui.audioUrl(page).fill(audio ?? '');
  else expect(audio, `${mode} shows an audio input`).toBeUndefined();
  if (p.size) await ui.sizeOption(page, p.size).check();
  if (p.resolution) await page.getByRole('radio', { name: p.resolution, exact: true }).check();
  if (p.ratio) await page.getByRole('radio', { name: new RegExp(`^${p.ratio} ·`) }).check();
  if (p.duration !== undefined) await ui.duration(page).fill(String(p.duration));
  if (p.shot_type) await ui.shotType(page).selectOption(p.shot_type);
  if (p.prompt_extend !== undefined) await ui.promptExtend(page).setChecked(p.prompt_extend);
  if (p.audio_setting) await page.getByRole('combobox', { name: say('form.audio_setting'), exact: true }).selectOption(p.audio_setting);
  await ui.watermark(page).setChecked(p.watermark);
  await ui.seed(page).fill(p.seed === undefined ? '' : String(p.seed));
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 500, runningMs: 1_500 } });

  test('every model and mode sends what its page shows, and each task is followed with its own *-get', async ({ app, sim, page }) => {
    test.setTimeout(180_000);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const known = [];
    for (const [dir, mode] of Object.entries(MODE_OF)) {
      const want = expected(dir);
      await fillFrom(page, mode, want);
      await ui.generate(page).click();
      const id = await shownTaskId(page, { known });
      known.push(id);
      await expect.poll(async () => (await sim.submits()).length, { message: `${mode}: one submit` }).toBe(known.length);
      const submits = await sim.submits();
      expect(sent(submits.at(-1).json), `${mode}: the wire carries the page's request`).toEqual(want);
      await expect(ui.card(page, id), `${mode}: the card names the model`).toContainText(say(`mode.${mode}`));
      const units = BILLED[dir];
      await expect(ui.card(page, id), `${mode}: the relay's bill beside the estimate`).toContainText(`(${units} units;`);
    }
    // Each task is asked for with its family's query model, and they all finish.
    await expect
      .poll(async () => new Set((await sim.queries()).map((q) => `${q.json.model} ${q.json.input}`)).size, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(known.length);
    const byModel = {};
    for (const q of await sim.queries()) (byModel[q.json.model] ??= new Set()).add(q.json.input);
    expect(byModel['wan2.6-get']?.size).toBe(3);
    expect(byModel['wan2.7-get']?.size).toBe(8);
    expect(byModel['happyhorse-get']?.size).toBe(7);
    await expect(ui.cardStatus(page, known.at(-1), 'Succeeded')).toBeVisible({ timeout: 30_000 });
  });

  test('a mode shows only its own fields, with its limits, and checks its media before sending', async ({ app, sim, page }) => {
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const picker = page.getByRole('combobox', { name: say('form.mode'), exact: true });
    await expect(picker, 'wan2.6-t2v stays the default').toHaveValue('wan2.6-t2v');
    await expect(ui.size(page)).toBeVisible();
    await picker.selectOption('happyhorse-1.1-r2v');
    await expect(ui.negativePrompt(page), 'no negative prompt on HappyHorse').toHaveCount(0);
    await expect(ui.size(page)).toHaveCount(0);
    await expect(ui.promptExtend(page)).toHaveCount(0);
    await expect(ui.watermark(page), 'HappyHorse marks by default').toBeChecked();
    await expect(page.getByText(say('form.labels_bracket'))).toBeVisible();
    // A Chinese character counts 2 toward HappyHorse's 5000.
    await ui.prompt(page).fill('猫'.repeat(10));
    await expect(ui.promptCounter(page)).toHaveText('20 / 5000');
    await ui.generate(page).click();
    const refs = page.getByRole('textbox', { name: say('form.media.reference_image'), exact: true });
    await expect(refs).toBeFocused();
    await expect(ui.formAlert(page, say('form.error.media_missing', { what: say('form.media.reference_image') }))).toBeVisible();
    await refs.fill('https://i.example/a.png\nftp://i.example/b.png');
    await expect(ui.formAlert(page, say('form.error.media_url'))).toBeVisible();
    // wan2.7's 4:3 is its own size, not wan2.6's.
    await picker.selectOption('wan2.7-t2v');
    await page.getByRole('radio', { name: '720P', exact: true }).check();
    await expect(page.getByRole('radio', { name: /^4:3 · 1104×832/ })).toBeVisible();
    await page.getByRole('radio', { name: '1080P', exact: true }).check();
    await expect(page.getByRole('radio', { name: /^4:3 · 1648×1248/ })).toBeVisible();
    // A video input takes public links only.
    await picker.selectOption('wan2.7-edit');
    await ui.prompt(page).fill('make it snow');
    await page.getByRole('textbox', { name: say('form.media.video'), exact: true }).fill('data:video/mp4;base64,AAAA');
    await ui.generate(page).click();
    await expect(ui.formAlert(page, say('form.error.media_public_only'))).toBeVisible();
    // An empty submit names every missing input, not only the first.
    await picker.selectOption('wan2.7-first-last');
    await ui.generate(page).click();
    for (const what of ['form.media.first_frame', 'form.media.last_frame']) {
      await expect(ui.formAlert(page, say('form.error.media_missing', { what: say(what) }))).toBeVisible();
    }
    expect(await sim.submits(), 'nothing invalid was sent').toHaveLength(0);
  });
});

test('references are listed with each model\'s own tokens, and Insert writes one at the caret', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const picker = page.getByRole('combobox', { name: say('form.mode'), exact: true });
  const list = page.getByRole('list', { name: say('form.references'), exact: true });
  const insert = (token) => page.getByRole('button', { name: say('form.reference_insert', { token }), exact: true });
  await picker.selectOption('wan2.7-r2v');
  await expect(list, 'no list before there are references').toHaveCount(0);
  await page.getByRole('textbox', { name: say('form.media.reference_image'), exact: true }).fill('https://i.example/a.png\nhttps://i.example/b.png');
  await page.getByRole('textbox', { name: say('form.media.reference_video'), exact: true }).fill('https://v.example/c.mp4');
  await expect(list.getByRole('listitem')).toHaveText([/^图1\s*https:\/\/i\.example\/a\.png/, /^图2\s*https:\/\/i\.example\/b\.png/, /^视频1\s*https:\/\/v\.example\/c\.mp4/]);
  await ui.prompt(page).fill('walks in');
  await ui.prompt(page).evaluate((el) => el.setSelectionRange(0, 0));
  await insert('视频1').click();
  await expect(ui.prompt(page)).toHaveValue('视频1 walks in');
  await insert('图2').click();
  await expect(ui.prompt(page), 'at the caret, after the first token').toHaveValue('视频1 图2 walks in');
  await picker.selectOption('happyhorse-1.1-r2v');
  await page.getByRole('textbox', { name: say('form.media.reference_image'), exact: true }).fill('https://i.example/a.png');
  await expect(list.getByRole('listitem')).toHaveText([/^\[Image 1\]/]);
  await picker.selectOption('wan2.6-r2v');
  await page.getByRole('textbox', { name: say('form.media.reference_urls'), exact: true }).fill('https://v.example/a.mp4\nhttps://i.example/b.png');
  await expect(list.getByRole('listitem')).toHaveText([/^character1/, /^character2/]);
  await picker.selectOption('wan2.7-edit-images');
  await expect(list, 'the edit models name no references').toHaveCount(0);
});

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_200 } });

  test('a finished take is continued and edited with wan2.7, and history shows which take each one comes from', async ({ app, sim, page }) => {
    const { action } = studio('en');
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    await ui.prompt(page).fill('A paper boat on a rainy street.');
    await ui.generate(page).click();
    const first = await shownTaskId(page);
    await expect(ui.cardStatus(page, first, 'Succeeded')).toBeVisible({ timeout: 30_000 });
    const video = (await storedTasks(page))[0].snapshot.video_url;
    expect(video).toMatch(/^http/);

    await (await action(page, first, say('card.continue_take'))).click();
    const picker = page.getByRole('combobox', { name: say('form.mode'), exact: true });
    await expect(picker).toHaveValue('wan2.7-continue');
    await expect(page.getByRole('textbox', { name: say('form.media.first_clip'), exact: true })).toHaveValue(video);
    await expect(ui.prompt(page), 'the focus is where the user writes what happens next').toBeFocused();
    await ui.prompt(page).fill('The boat reaches the sea.');
    await ui.generate(page).click();
    const continued = await shownTaskId(page, { known: [first] });
    await expect.poll(async () => (await sim.submits()).length).toBe(2);
    const sent = (await sim.submits())[1].json;
    expect(sent.model).toBe('wan2.7-i2v-2026-04-25');
    expect(sent.input.media).toEqual([{ type: 'first_clip', url: video }]);
    await expect(ui.card(page, continued)).toContainText(say('card.continues', { id: first }));

    await (await action(page, first, say('card.edit_take'))).click();
    await expect(picker).toHaveValue('wan2.7-edit');
    await expect(page.getByRole('textbox', { name: say('form.media.video'), exact: true })).toHaveValue(video);
    await expect(ui.duration(page), 'the edit keeps the video\'s length').toHaveValue('0');
    await ui.prompt(page).fill('Make it snow.');
    await ui.generate(page).click();
    const edited = await shownTaskId(page, { known: [first, continued] });
    await expect.poll(async () => (await sim.submits()).length).toBe(3);
    const edit = (await sim.submits())[2].json;
    expect(edit.model).toBe('wan2.7-videoedit');
    expect(edit.input.media).toEqual([{ type: 'video', url: video }]);
    expect(edit.parameters.duration).toBe(0);
    await expect(ui.card(page, edited)).toContainText(say('card.edits', { id: first }));
    // Both links survive a reload: they are part of the task records.
    await page.reload();
    await expect(ui.card(page, continued)).toContainText(say('card.continues', { id: first }));
    const records = await storedTasks(page);
    expect(records.find((t) => t.id === edited).from_take).toEqual({ how: 'edits', id: first, url: video });
  });
});
