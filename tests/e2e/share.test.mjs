// Share links (round trip, key refusal, endpoint untouched) and the team's config.json (applied,
// user settings win, broken config tolerated).
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fillForm, loadApp, openApp, pickSize, seedConnection, selectedSize, ui } from './ui.mjs';

const FORM = {
  prompt: '一只小猫将军 on a cliff, "epic" & <cute> 😀',
  negativePrompt: '低分辨率',
  audioUrl: 'https://example.com/a.mp3?x=1&y=2',
  size: '832*1088',
  duration: 12,
  shotType: 'multi',
  promptExtend: true,
  watermark: true,
  seed: 666,
};

async function readForm(page) {
  return {
    prompt: await ui.prompt(page).inputValue(),
    negativePrompt: await ui.negativePrompt(page).inputValue(),
    audioUrl: await ui.audioUrl(page).inputValue(),
    size: await selectedSize(page),
    duration: Number(await ui.duration(page).inputValue()),
    shotType: await ui.shotType(page).inputValue(),
    promptExtend: await ui.promptExtend(page).isChecked(),
    watermark: await ui.watermark(page).isChecked(),
    seed: Number(await ui.seed(page).inputValue()),
  };
}

test('a share link round-trips the form, never carries the key, and changes nothing else', async ({ app, sim, page, newContext }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, FORM);
  await page.getByRole('button', { name: 'Share these settings', exact: true }).click();
  const link = await page.getByRole('textbox', { name: 'Share link', exact: true }).inputValue();
  expect(link.startsWith(`${app.url}/#share=1.`), link).toBe(true);
  expect(link.split('#')[1], 'only chat-safe characters').toMatch(/^share=1\.[A-Za-z0-9_-]+$/);
  expect(link, 'no key').not.toContain(TEST_KEY);
  expect(link, 'no endpoint').not.toContain(sim.url.replace('http://', ''));

  // Someone else opens it in their own browser.
  const page2 = await (await newContext()).newPage();
  await page2.goto(link);
  await expect(page2.getByText('Settings loaded from a shared link')).toBeVisible();
  expect(await readForm(page2)).toEqual(FORM);
  expect(new URL(page2.url()).hash, 'the fragment is consumed').toBe('');
  await expect(ui.apiKey(page2), 'no key arrived').toHaveValue('');
  await expect(ui.endpoint(page2), 'endpoint untouched').toHaveValue('https://www.dmxapi.cn/v1/responses');
  await page2.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page2.getByText('Your previous form is back.')).toBeVisible();
  await expect(ui.prompt(page2)).toHaveValue('');
  // A reload does not apply the link again.
  await page2.reload();
  await expect(ui.prompt(page2)).toBeVisible();
  await expect(ui.prompt(page2)).toHaveValue('');
  // The link pasted into the address bar of the already open page (only the fragment changes,
  // so nothing reloads) is applied at once.
  await page2.evaluate((hash) => {
    window.location.hash = hash;
  }, link.split('#')[1]);
  await expect(page2.getByText('Settings loaded from a shared link')).toBeVisible();
  expect(await readForm(page2)).toEqual(FORM);
  expect(new URL(page2.url()).hash, 'the fragment is consumed again').toBe('');
  // A damaged link says so and changes nothing.
  await page2.goto('about:blank');
  await page2.goto(link.slice(0, link.length - 40));
  await expect(page2.getByRole('alert').filter({ hasText: 'damaged' }).first()).toBeVisible();
  await expect(ui.prompt(page2), 'the form is unchanged').toHaveValue(FORM.prompt);

  // A form that contains something key-shaped is refused.
  await fillForm(page, { prompt: `my key is ${TEST_KEY}` });
  await page.getByRole('button', { name: 'Share these settings', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'looks like an API key' }).first()).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Share link', exact: true })).toHaveCount(0);
});

test("a team config.json sets the site name, default endpoint, default form and presets; the user's own settings win", async ({ page, sim, tempSite }) => {
  const config = {
    site_name: 'Team Video Lab',
    default_endpoint: sim.endpoint,
    defaults: { size: '1280*720', duration: '8' },
    presets: [{ title: 'Cat general', settings: { prompt: '小猫将军', shot_type: 'multi', seed: '666' } }],
  };
  const site = await tempSite({ files: { 'config.json': JSON.stringify(config) } });
  await loadApp(page, site.url);
  await expect(page.getByRole('heading', { name: 'Team Video Lab', level: 1 })).toBeVisible();
  await expect(ui.endpoint(page)).toHaveValue('custom');
  await expect(ui.customEndpoint(page)).toHaveValue(sim.endpoint);
  expect(await selectedSize(page)).toBe('1280*720');
  await expect(ui.duration(page)).toHaveValue('8');
  await page.getByRole('combobox', { name: 'Presets', exact: true }).selectOption({ label: 'Cat general' });
  await expect(ui.prompt(page)).toHaveValue('小猫将军');
  await expect(ui.shotType(page)).toHaveValue('multi');
  await expect(ui.seed(page)).toHaveValue('666');

  // The user picks their own endpoint and size; a reload keeps theirs, not the site's.
  await ui.endpoint(page).selectOption({ label: 'www.dmxapi.com (USD)' });
  await pickSize(page, '1920*1080');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Team Video Lab', level: 1 })).toBeVisible();
  await expect(ui.endpoint(page)).toHaveValue('https://www.dmxapi.com/v1/responses');
  expect(await selectedSize(page)).toBe('1920*1080');
});

test('a team config.json offers some models, starts in its default one, and groups its presets by model', async ({ page, sim, tempSite }) => {
  const config = {
    default_endpoint: sim.endpoint,
    models: ['wan2.7-t2v', 'wan2.7-first-frame', 'happyhorse-1.1-t2v', 'not-a-model'],
    defaults: { mode: 'wan2.7-first-frame' },
    presets: [
      { title: 'Rain', settings: { mode: 'wan2.7-t2v', prompt: 'rain on a tin roof' } },
      { title: 'Horse', settings: { mode: 'happyhorse-1.1-t2v', prompt: 'a horse at dawn' } },
      { title: 'Dusk', settings: { mode: 'wan2.7-t2v', prompt: 'dusk' } },
      { title: 'Not offered', settings: { mode: 'wan2.6-t2v', prompt: 'x' } },
    ],
  };
  const site = await tempSite({ files: { 'config.json': JSON.stringify(config) } });
  await loadApp(page, site.url);
  const mode = page.getByRole('combobox', { name: 'Model and mode', exact: true });
  await expect(mode).toHaveValue('wan2.7-first-frame');
  await expect(mode.locator('option')).toHaveText([/Text → video/, /First frame/, /Text → video/]);
  expect(await mode.locator('option').evaluateAll((os) => os.map((o) => o.value))).toEqual(['wan2.7-t2v', 'wan2.7-first-frame', 'happyhorse-1.1-t2v']);
  const presets = page.getByRole('combobox', { name: 'Presets', exact: true });
  const groups = await presets.locator('optgroup').evaluateAll((gs) => gs.map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.textContent)]));
  expect(groups).toEqual([
    [expect.stringContaining('Wan 2.7'), ['Rain', 'Dusk']],
    [expect.stringContaining('HappyHorse 1.1'), ['Horse']],
  ]);
  await presets.selectOption({ label: 'Horse' });
  await expect(mode).toHaveValue('happyhorse-1.1-t2v');
  await expect(ui.prompt(page)).toHaveValue('a horse at dawn');
  // A draft saved in a model the team stopped offering moves to the default one, keeping its text.
  await page.evaluate(() => {
    const draft = JSON.parse(localStorage.getItem('wan-studio.form.v1'));
    localStorage.setItem('wan-studio.form.v1', JSON.stringify({ ...draft, mode: 'wan2.6-i2v' }));
  });
  await page.reload();
  await expect(mode).toHaveValue('wan2.7-first-frame');
  await expect(ui.prompt(page)).toHaveValue('a horse at dawn');
});

test('a broken config.json leaves the built-in defaults and a console warning', async ({ page, tempSite }) => {
  const site = await tempSite({ files: { 'config.json': '{ "site_name": "Broken", ' } });
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await loadApp(page, site.url);
  await expect(page.getByRole('heading', { name: 'wan-studio', level: 1 })).toBeVisible();
  // The app reads config.json after it has mounted: its warning may come a moment later.
  await expect
    .poll(() => warnings, { message: 'a console warning that config.json is not valid', timeout: 5_000 })
    .toContainEqual(expect.stringContaining('config.json is not valid'));
  await expect(ui.endpoint(page)).toHaveValue('https://www.dmxapi.cn/v1/responses');
  expect(await selectedSize(page)).toBe('1920*1080');
  await fillForm(page, { prompt: 'still works' });
  await expect(ui.generate(page)).toBeEnabled();
});

test("a team's monthly budget in config.json warns before a submit would cross it, from what the relay billed this month", async ({ page, sim, tempSite }) => {
  const site = await tempSite({ files: { 'config.json': JSON.stringify({ monthly_budget: '8' }) } });
  await seedConnection(page, site, { endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: 'a lighthouse in fog', size: '1920*1080', duration: 5 });
  const warning = page.getByText(/^Over the team's budget/);
  // Nothing spent yet: 5.00 of 8.00 is within it.
  await expect(page.getByText(/^Estimated cost: 5\.00 CNY/)).toBeVisible();
  await expect(warning).toHaveCount(0);
  await ui.generate(page).click();
  await expect(ui.cards(page)).toHaveCount(1);
  // The relay billed 5.00: another 5.00 would make 10.00, over 8.00 — said before Generate.
  await expect(warning).toContainText('from 5.00 CNY to 10.00 CNY, over the 8.00 CNY a month');
  // A shorter video stays within it.
  await ui.duration(page).fill('2');
  await expect(warning).toHaveCount(0);
  // Sending anyway is the user's choice: nothing is blocked.
  await ui.duration(page).fill('5');
  await expect(warning).toBeVisible();
  await ui.generate(page).click();
  await expect(ui.cards(page)).toHaveCount(2);
  await expect(page.getByText(/^The team's budget is used up: this month's spend is 10\.00 CNY/)).toBeVisible();
  expect(await sim.submits()).toHaveLength(2);
});
