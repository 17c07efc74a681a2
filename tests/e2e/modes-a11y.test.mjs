// Every model and mode of the picker, checked like the main states are (a11y.test.mjs,
// i18n.test.mjs): axe-core finds no violations with the mode's own form showing, in English and
// Chinese, light and dark, and with its validation errors showing; in Chinese the form's labels,
// hints and errors have no English left. The modes are read from the model table
// (crates/wan-models/src/lib.rs, `Mode::key`), so a new mode is checked without editing this file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.mjs';
import { ROOT, TEST_KEY, auditSchemes, mounted, openApp, setLanguage, t } from './ui.mjs';

/** The mode keys in the table's order: the match arms of `Mode::key`. */
function modeKeys() {
  const source = readFileSync(join(ROOT, 'crates/wan-models/src/lib.rs'), 'utf8');
  const body = source.match(/pub const fn key\(self\) -> &'static str \{([\s\S]*?)\n {4}\}/)?.[1] ?? '';
  return [...body.matchAll(/Mode::\w+\s*=>\s*"([^"]+)"/g)].map((m) => m[1]);
}
const MODES = modeKeys();

// The app's controls, named in `lang`.
const formSection = (page, lang) =>
  page.locator('section').filter({ has: page.getByRole('heading', { name: t(lang, 'form.heading'), exact: true }) });
const modePicker = (page, lang) => page.getByRole('combobox', { name: t(lang, 'form.mode'), exact: true });
const generate = (page, lang) => page.getByRole('button', { name: t(lang, 'form.generate'), exact: true });

// --- English left in Chinese (the approach of i18n.test.mjs, on the form only) --------------------
// Latin words that are names, units or technical tokens, the same in Chinese text (i18n.test.mjs's
// list, plus the media formats the form's hints name as the vendor writes them).
const ALLOWED = new Set(
  `wan studio dmxapi api url http https sk id ids ctrl enter wav mp3 mb kb json cors
   authorization bearer llm ai t2v cn com ssvip english language p s min h json v1 responses
   localhost relay config html png mp4 webm png jpeg csv txt cny usd rmb yuan seed wan2 www
   github sk- cdn oss aliyuncs ms gzip utf x wan-studio happyhorse
   jpg bmp webp mov`.split(/\s+/).filter(Boolean),
);

/**
 * English words (3+ letters, not allowed tokens) in `root`'s text and label-like attributes,
 * hidden ones included, except the user's own words and code.
 */
async function englishLeft(root) {
  const texts = await root.evaluate((el) => {
    const skip = 'code, kbd, textarea, script, style, noscript, [lang="en"]';
    const out = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.trim() && !n.parentElement.closest(skip)) out.push(n.data);
    }
    for (const e of [el, ...el.querySelectorAll('[aria-label], [placeholder], [title], [alt]')]) {
      if (e.closest(skip)) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
        if (e.hasAttribute(a)) out.push(e.getAttribute(a));
      }
    }
    return out;
  });
  const found = [];
  for (const line of texts) {
    const cleaned = line
      .replace(/https?:\/\/\S+|\/[\w./-]+|\b[0-9a-f]{8}-[0-9a-f-]{27,}\b|\bsk-\S*/gi, ' ')
      // The models' own reference names, which the prompt must hold as written in either language:
      // wan2.6-r2v's character1, character2…, HappyHorse's [Image 1], [Image 2]…
      .replace(/\bcharacter\d+|\[Image \d+\]/g, ' ');
    for (const w of cleaned.match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []) {
      if (!ALLOWED.has(w.toLowerCase())) found.push(`${w}  ←  ${line.trim().slice(0, 100)}`);
    }
  }
  return found;
}

/**
 * Audits `modes` one by one, each on a freshly loaded page: the form in English and Chinese,
 * light and dark, then an empty Generate and the page with the mode's errors, in both languages
 * (light). Returns { violations, english } (readable lines), and checks nothing was sent.
 */
async function auditModes(page, sim, modes) {
  const violations = [];
  const english = [];
  const chineseCheck = async (state) => {
    for (const l of await englishLeft(formSection(page, 'zh'))) english.push(`[${state}] ${l}`);
  };
  for (const mode of modes) {
    // A fresh page per mode: no error or status of the previous mode is left on screen.
    await page.reload();
    await expect(mounted(page)).toBeVisible();
    await modePicker(page, 'en').selectOption(mode);
    await expect(modePicker(page, 'en'), `${mode} is picked`).toHaveValue(mode);

    violations.push(...(await auditSchemes(page, `${mode} / en`)));
    await setLanguage(page, 'zh');
    await expect(modePicker(page, 'zh'), `${mode} still picked in Chinese`).toHaveValue(mode);
    violations.push(...(await auditSchemes(page, `${mode} / zh`)));
    await chineseCheck(`${mode} / form`);

    // An empty form sent: every mode needs a prompt or a media input, so errors show and nothing goes.
    await generate(page, 'zh').click();
    const errors = formSection(page, 'zh').getByRole('alert');
    await expect(errors.first(), `${mode}: an empty Generate shows the form's errors`).toBeVisible();
    await chineseCheck(`${mode} / validation errors`);
    violations.push(...(await auditSchemes(page, `${mode} / zh / validation errors`, ['light'])));
    await setLanguage(page, 'en');
    await expect(formSection(page, 'en').getByRole('alert').first(), `${mode}: the errors stay in English`).toBeVisible();
    violations.push(...(await auditSchemes(page, `${mode} / en / validation errors`, ['light'])));
  }
  expect(await sim.apiCalls(), 'an invalid form sends nothing').toEqual([]);
  return { violations, english };
}

test('the model table lists 18 modes, and the picker offers exactly those, in order', async ({ app, page }) => {
  expect(MODES, 'Mode::key read from crates/wan-models/src/lib.rs').toHaveLength(18);
  await page.goto(app.url + '/');
  await expect(mounted(page)).toBeVisible();
  const options = modePicker(page, 'en').locator('option');
  await expect(options).toHaveCount(MODES.length);
  expect(await options.evaluateAll((os) => os.map((o) => o.value))).toEqual(MODES);
});

// Three to four modes per test, so the two workers share the 18.
const GROUPS = [];
for (let i = 0; i < MODES.length; i += 3) GROUPS.push(MODES.slice(i, i + 3));

for (const group of GROUPS) {
  test(`a11y and Chinese, each mode's form and its errors: ${group.join(', ')}`, async ({ app, sim, page }) => {
    test.setTimeout(180_000);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const { violations, english } = await auditModes(page, sim, group);
    expect.soft(english, `English left in the Chinese form:\n${english.join('\n')}`).toEqual([]);
    expect(violations, `axe violations:\n${violations.join('\n')}`).toEqual([]);
  });
}
