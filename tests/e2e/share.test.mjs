// Share links (round trip, key refusal, endpoint untouched) and the team's config.json (applied,
// user settings win, broken config tolerated).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, TEST_KEY, e2e, fillForm, launchBrowser, loadApp, openApp, pickSize, selectedSize, startStaticServer, ui, waitUntil } from './harness.mjs';

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

e2e('a share link round-trips the form, never carries the key, and changes nothing else', {}, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, FORM);
  await page.getByRole('button', { name: 'Share these settings', exact: true }).click();
  const link = await page.getByRole('textbox', { name: 'Share link', exact: true }).inputValue();
  assert.ok(link.startsWith(`${app.url}/#share=1.`), link);
  assert.match(link.split('#')[1], /^share=1\.[A-Za-z0-9_-]+$/, 'only chat-safe characters');
  assert.ok(!link.includes(TEST_KEY) && !link.includes(sim.url.replace('http://', '')), 'no key, no endpoint');

  // Someone else opens it in their own browser.
  const other = await launchBrowser();
  try {
    const page2 = await other.context.newPage();
    await page2.goto(link);
    await page2.getByText('Settings loaded from a shared link').waitFor();
    assert.deepEqual(await readForm(page2), FORM);
    assert.equal(new URL(page2.url()).hash, '', 'the fragment is consumed');
    assert.equal(await ui.apiKey(page2).inputValue(), '', 'no key arrived');
    assert.equal(await ui.endpoint(page2).inputValue(), 'https://www.dmxapi.cn/v1/responses', 'endpoint untouched');
    await page2.getByRole('button', { name: 'Undo', exact: true }).click();
    await page2.getByText('Your previous form is back.').waitFor();
    assert.equal(await ui.prompt(page2).inputValue(), '');
    // A reload does not apply the link again.
    await page2.reload();
    await ui.prompt(page2).waitFor();
    assert.equal(await ui.prompt(page2).inputValue(), '');
    // The link pasted into the address bar of the already open page (only the fragment changes,
    // so nothing reloads) is applied at once.
    await page2.evaluate((hash) => { window.location.hash = hash; }, link.split('#')[1]);
    await page2.getByText('Settings loaded from a shared link').waitFor();
    assert.deepEqual(await readForm(page2), FORM);
    assert.equal(new URL(page2.url()).hash, '', 'the fragment is consumed again');
    // A damaged link says so and changes nothing.
    await page2.goto('about:blank');
    await page2.goto(link.slice(0, link.length - 40));
    await page2.getByRole('alert').filter({ hasText: 'damaged' }).first().waitFor();
    assert.equal(await ui.prompt(page2).inputValue(), FORM.prompt, 'the form is unchanged');
  } finally {
    await other.close();
  }

  // A form that contains something key-shaped is refused.
  await fillForm(page, { prompt: `my key is ${TEST_KEY}` });
  await page.getByRole('button', { name: 'Share these settings', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'looks like an API key' }).first().waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Share link', exact: true }).count(), 0);
});

/** A copy of dist/ with a config.json beside index.html. */
async function siteWithConfig(t, text) {
  const dir = mkdtempSync(join(tmpdir(), 'wan-site-'));
  cpSync(DIST, dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), text);
  const server = await startStaticServer(dir);
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return server;
}

e2e('a team config.json sets the site name, default endpoint, default form and presets; the user\'s own settings win', {}, async ({ page, sim }, t) => {
  const site = await siteWithConfig(
    t,
    JSON.stringify({
      site_name: 'Team Video Lab',
      default_endpoint: sim.endpoint,
      defaults: { size: '1280*720', duration: '8' },
      presets: [{ title: 'Cat general', settings: { prompt: '小猫将军', shot_type: 'multi', seed: '666' } }],
    }),
  );
  await loadApp(page, site.url);
  await page.getByRole('heading', { name: 'Team Video Lab', level: 1 }).waitFor();
  assert.equal(await ui.endpoint(page).inputValue(), 'custom');
  assert.equal(await ui.customEndpoint(page).inputValue(), sim.endpoint);
  assert.equal(await selectedSize(page), '1280*720');
  assert.equal(await ui.duration(page).inputValue(), '8');
  await page.getByRole('combobox', { name: 'Presets', exact: true }).selectOption({ label: 'Cat general' });
  assert.equal(await ui.prompt(page).inputValue(), '小猫将军');
  assert.equal(await ui.shotType(page).inputValue(), 'multi');
  assert.equal(await ui.seed(page).inputValue(), '666');

  // The user picks their own endpoint and size; a reload keeps theirs, not the site's.
  await ui.endpoint(page).selectOption({ label: 'www.dmxapi.com (USD)' });
  await pickSize(page, '1920*1080');
  await page.reload();
  await page.getByRole('heading', { name: 'Team Video Lab', level: 1 }).waitFor();
  assert.equal(await ui.endpoint(page).inputValue(), 'https://www.dmxapi.com/v1/responses');
  assert.equal(await selectedSize(page), '1920*1080');
});

e2e('a broken config.json leaves the built-in defaults and a console warning', {}, async ({ page }, t) => {
  const site = await siteWithConfig(t, '{ "site_name": "Broken", ');
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await loadApp(page, site.url);
  await page.getByRole('heading', { name: 'wan-studio', level: 1 }).waitFor();
  await waitUntil(() => warnings.some((w) => w.includes('config.json')), { timeout: 5_000, message: 'the config.json warning' }).catch(() => {});
  assert.ok(warnings.some((w) => w.includes('config.json is not valid')), warnings.join('\n'));
  assert.equal(await ui.endpoint(page).inputValue(), 'https://www.dmxapi.cn/v1/responses');
  assert.equal(await selectedSize(page), '1920*1080');
  await fillForm(page, { prompt: 'still works' });
  assert.equal(await ui.generate(page).isEnabled(), true);
});
