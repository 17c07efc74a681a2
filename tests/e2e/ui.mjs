// How the end-to-end tests drive the app: by role and visible label, as a user would (the app's
// contract), plus the few waits every test needs. Used with the fixtures of ./fixtures.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { readLocales } from '../../scripts/lib/locales.mjs';
import { expect } from './fixtures.mjs';

export { TEST_KEY } from '../../scripts/lib/sim.mjs';
export { DIST, ROOT } from '../../scripts/lib/paths.mjs';
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');

/** A vendor fixture (the project's own copy in tests/fixtures, see its README). */
export const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'tests/fixtures', name), 'utf8'));

export const ui = {
  // The header's language switch; its label names both languages ("Language · 语言").
  language: (page) => page.getByRole('combobox', { name: /Language/ }),
  section: (page, heading) =>
    page.locator('section').filter({ has: page.getByRole('heading', { name: heading, exact: true }) }),
  apiKey: (page) => page.getByRole('textbox', { name: 'API key', exact: true }),
  endpoint: (page) => page.getByRole('combobox', { name: 'API endpoint', exact: true }),
  customEndpoint: (page) => page.getByRole('textbox', { name: 'Custom endpoint URL', exact: true }),
  // A checkbox; role="switch" (a checkbox subclass in ARIA) is accepted too.
  asyncHeader: (page) => {
    const name = { name: 'Send X-DashScope-Async header', exact: true };
    return page.getByRole('checkbox', name).or(page.getByRole('switch', name));
  },
  prompt: (page) => page.getByRole('textbox', { name: 'Prompt', exact: true }),
  promptCounter: (page) => page.getByTestId('prompt-counter'),
  negativePrompt: (page) => page.getByRole('textbox', { name: 'Negative prompt', exact: true }),
  audioUrl: (page) => page.getByRole('textbox', { name: 'Audio URL', exact: true }),
  // The size picker: a radio group (a fieldset whose legend is "Size") with one radio per size,
  // whose value attribute is the wire value ('1280*720'); read it with selectedSize(), pick with
  // pickSize() (or fillForm's `size`).
  size: (page) => page.getByRole('group', { name: 'Size', exact: true }),
  sizeOption: (page, wire) => ui.size(page).locator(`input[type="radio"][value="${wire}"]`),
  duration: (page) => page.getByRole('spinbutton', { name: 'Duration', exact: true }),
  shotType: (page) => page.getByRole('combobox', { name: 'Shot type', exact: true }),
  promptExtend: (page) => page.getByRole('checkbox', { name: 'Prompt extend', exact: true }),
  watermark: (page) => page.getByRole('checkbox', { name: 'Watermark', exact: true }),
  seed: (page) => page.getByRole('textbox', { name: 'Seed', exact: true }),
  generate: (page) => page.getByRole('button', { name: 'Generate', exact: true }),
  task: (page) => ui.section(page, 'Tasks'),
  cards: (page) => ui.task(page).locator('article'),
  status: (page) => ui.task(page).getByRole('status'),
  alerts: (page) => page.getByRole('alert'),
  /** One task's card, by the id it shows. */
  card: (page, id) => ui.task(page).getByRole('article', { name: `Task ${id}` }),
  /** That card's status once it reads `word` ("Running", "Succeeded", …). */
  cardStatus: (page, id, word) => ui.card(page, id).getByRole('status').filter({ hasText: word }).first(),
  /** The first alert in the "New video" form that contains `hasText`. */
  formAlert: (page, hasText) => ui.section(page, 'New video').getByRole('alert').filter({ hasText }).first(),
  /**
   * The "Settings" heading's disclosure button. Settings is open while no key is set and folded
   * (a one-line summary instead of the fields) once a key and a valid endpoint are stored.
   */
  settingsToggle: (page) => ui.section(page, 'Settings').getByRole('button', { name: 'Settings', exact: true }),
  /**
   * Opens Settings if it is folded (idempotent), so its fields can be filled: folded fields stay
   * in the DOM (inputValue() reads them) but are hidden, and Playwright acts only on visible ones.
   */
  async openSettings(page) {
    const toggle = ui.settingsToggle(page);
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(toggle, 'Settings to open').toHaveAttribute('aria-expanded', 'true');
  },
};

/** The heading that shows the app has mounted. */
export const mounted = (page) => page.getByRole('heading', { name: 'New video', exact: true });

/** Loads the app (its page at `appUrl` + '/') and waits until it has mounted. */
export async function loadApp(page, appUrl, { timeout = 30_000 } = {}) {
  await page.goto(appUrl + '/');
  await expect(mounted(page)).toBeVisible({ timeout });
}

/**
 * Configures the loaded app through the Settings UI as a user would: opens Settings if it is
 * folded, types the key, picks "Custom URL" as the endpoint and types the endpoint URL.
 */
export async function configure(page, { endpoint, key }) {
  if (key !== undefined || endpoint !== undefined) await ui.openSettings(page);
  if (key !== undefined) {
    const field = ui.apiKey(page);
    await field.fill(key);
    await field.blur();
  }
  if (endpoint !== undefined) {
    await ui.endpoint(page).selectOption({ label: 'Custom URL' });
    const custom = ui.customEndpoint(page);
    await expect(custom).toBeVisible();
    await custom.fill(endpoint);
    await custom.blur();
  }
}

/** Loads the app from `app.url` and configures it (see configure()). */
export async function openApp(page, { app, endpoint, key }) {
  await loadApp(page, app.url);
  await configure(page, { endpoint, key });
}

/**
 * Sets "Keep finished videos in this browser" ('auto', 'ask' or 'never'). Tests about a take's
 * link itself (its download, its expiry) set 'never': a kept take plays and downloads its copy.
 */
export async function setKeepVideos(page, choice) {
  await ui.openSettings(page);
  await page.getByRole('combobox', { name: 'Keep finished videos in this browser', exact: true }).selectOption(choice);
}

/** The wire value of the checked size (e.g. '1920*1080'). */
export async function selectedSize(page) {
  return ui.size(page).locator('input[type="radio"]:checked').inputValue();
}

/** Picks the size whose wire value is `wire` (e.g. '1280*720'), as a click on its tile does. */
export async function pickSize(page, wire) {
  await ui.sizeOption(page, wire).check();
}

/** Fills the "New video" form; only the given fields are touched. */
export async function fillForm(page, f) {
  if (f.prompt !== undefined) await ui.prompt(page).fill(f.prompt);
  if (f.negativePrompt !== undefined) await ui.negativePrompt(page).fill(f.negativePrompt);
  if (f.audioUrl !== undefined) await ui.audioUrl(page).fill(f.audioUrl);
  if (f.size !== undefined) await pickSize(page, f.size);
  if (f.duration !== undefined) await ui.duration(page).fill(String(f.duration));
  if (f.shotType !== undefined) await ui.shotType(page).selectOption(f.shotType);
  if (f.promptExtend !== undefined) await ui.promptExtend(page).setChecked(f.promptExtend);
  if (f.watermark !== undefined) await ui.watermark(page).setChecked(f.watermark);
  if (f.seed !== undefined) await ui.seed(page).fill(String(f.seed));
}

/** Waits until a task's role="status" element shows `word` (e.g. "Running"). */
export async function waitForStatus(page, word, { timeout = 60_000 } = {}) {
  await expect(ui.status(page).filter({ hasText: word }).first()).toBeVisible({ timeout });
}

const TASK_LABEL = /^(?:Task|任务)\s+(\S+)$/;

/**
 * The id of the newest take in the gallery (the first card: newest first; its accessible name is
 * "Task <id>"), once there is one that is not in `known`.
 */
export async function shownTaskId(page, { known = [], timeout = 30_000 } = {}) {
  let id;
  await expect
    .poll(
      async () => {
        const first = ui.cards(page).first();
        const label = (await first.count()) ? await first.getAttribute('aria-label', { timeout: 1_000 }) : null;
        id = label?.match(TASK_LABEL)?.[1];
        return id !== undefined && !known.includes(id);
      },
      { message: `a "Task ID" in the Task section${known.length ? ` other than ${known.join(', ')}` : ''}`, timeout },
    )
    .toBe(true);
  return id;
}

/** Waits until the page's <video> has loaded enough to play (readyState >= 2, duration > 0). */
export async function waitForVideo(page, { timeout = 30_000 } = {}) {
  await page.waitForFunction(
    () => {
      const v = document.querySelector('video');
      return !!v && v.readyState >= 2 && Number.isFinite(v.duration) && v.duration > 0;
    },
    undefined,
    { timeout },
  );
}

/** Counts Unicode scalar values, as the API does. */
export const scalars = (s) => [...s].length;

/** Switches the interface language with the header switch ('en' or 'zh') and waits for it. */
export async function setLanguage(page, code) {
  await ui.language(page).selectOption(code);
  await expect(page.locator('html')).toHaveAttribute('lang', code === 'zh' ? 'zh-CN' : 'en');
  // The texts update in the same reactive batch as <html lang>; let it paint.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/**
 * The text of `locator`'s element in Chinese, then back in English. The element is pinned first
 * (a locator filtered by English text would no longer match once the page is in Chinese).
 */
export async function chineseTextOf(page, locator) {
  const handle = await locator.elementHandle();
  await setLanguage(page, 'zh');
  const text = await handle.innerText();
  await setLanguage(page, 'en');
  await handle.dispose();
  return text;
}

/**
 * The deterministic form of "and nothing else is sent": fires, at once, every timer the app would
 * fire in the next `ms` of its own time (default 30 s: its 5 s poll schedule, back-offs up to 30 s,
 * any retry it might schedule), then waits until every request the pages started has been answered or has failed.
 * Whatever the app would send in that time has then been sent and recorded, by the browser
 * (`pageRequests`) and by the simulator. Needs Playwright's clock installed before the app loaded
 * (`await page.clock.install()`; it runs at normal speed until this is called) and nothing of the
 * app's in flight (a call in flight would meet its client time limit). Applies to every page of the
 * context.
 */
export async function fastForward(page, pageRequests, ms = 30_000) {
  const inFlight = () => pageRequests.filter((r) => !r.done).map((r) => `${r.method} ${r.url}`);
  await expect.poll(inFlight, { message: 'no request in flight before the clock jumps' }).toEqual([]);
  await page.clock.runFor(ms);
  await expect.poll(inFlight, { message: `every request of the next ${ms / 1000} s answered` }).toEqual([]);
}

/**
 * Records everything the context's pages send, with every header and the body. Returns a function
 * that resolves to the list so far.
 */
export function recordRequests(context) {
  const pending = [];
  context.on('request', (req) => {
    pending.push(
      (async () => ({
        method: req.method(),
        url: req.url(),
        resourceType: req.resourceType(),
        headers: await req.allHeaders().catch(() => req.headers()),
        body: req.postDataBuffer()?.toString('latin1') ?? '',
      }))(),
    );
  });
  return () => Promise.all(pending);
}

/**
 * The key is in no URL and no body, and in no header but the bare `Authorization` of a POST to
 * `endpoint` (the one the user chose; its query string is ignored); `other` (a simulator on another
 * origin), when given, received nothing at all. Returns how many calls carried the key.
 */
export async function expectKeyOnlyTo(recorded, endpoint, { other, key } = {}) {
  key ??= (await import('../../scripts/lib/sim.mjs')).TEST_KEY;
  const requests = await recorded();
  let authorised = 0;
  for (const r of requests) {
    const where = `${r.method} ${r.url}`;
    expect(r.url.includes(key) || decodeURIComponent(r.url).includes(key), `key in the URL of ${where}`).toBe(false);
    expect(r.body.includes(key), `key in the body of ${where}`).toBe(false);
    for (const [name, value] of Object.entries(r.headers)) {
      if (!String(value).includes(key)) continue;
      expect(name.toLowerCase(), `key in header ${name} of ${where}`).toBe('authorization');
      expect(r.url.split('?')[0], `the key was sent to ${where}`).toBe(endpoint.split('?')[0]);
      expect(value, 'the bare key, nothing else').toBe(key);
      authorised += 1;
    }
  }
  if (other) {
    expect(await other.requests(), 'the other host received nothing').toEqual([]);
    expect(requests.filter((r) => r.url.startsWith(other.url)).map((r) => r.url), 'the browser never called the other host').toEqual([]);
  }
  return authorised;
}

/** The "Show" filter chip whose label starts with `label` ("All tasks", "Succeeded", …). */
export const filterChip = (page, label) => ui.task(page).getByRole('radio', { name: new RegExp(`^${label}\\b`) });

/** Opens a take's details (the player and everything else) if it is folded. */
export async function openCard(page, id) {
  const toggle = ui.card(page, id).getByRole('button', { name: /^(Details|Hide details)$/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

/**
 * A take's action by its name: the primary one on the card, or one in its "More" menu (opened
 * first when needed).
 */
export async function cardAction(page, id, name, role = 'button') {
  const card = ui.card(page, id);
  const direct = card.getByRole(role, { name, exact: true });
  if (await direct.isVisible()) return direct;
  const more = card.locator('details.menu');
  if ((await more.getAttribute('open')) === null) await more.locator('summary').click();
  await expect(direct).toBeVisible();
  return direct;
}

// ---------------------------------------------------------------------------------------------
// The app's own words, from its catalog (locales/*.yml), for tests that run in either language.
// ---------------------------------------------------------------------------------------------
let catalog;
const loadCatalog = () => (catalog ??= readLocales());

/** The catalog text of `key` in `lang` ('en' or 'zh'), with `%{name}` filled from `args`. */
export function t(lang, key, args = {}) {
  const text = loadCatalog()[lang][key];
  if (text === undefined) throw new Error(`no ${lang} text for ${key}`);
  return text.replace(/%\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
}

/** Stores a key and a custom endpoint for the app at `app` the way Settings would, and reloads. */
export async function seedConnection(page, app, { endpoint, key }) {
  await page.goto(app.url + '/');
  await page.evaluate(
    ({ endpoint, key }) => {
      localStorage.setItem('wan-studio.key.v1', key);
      localStorage.setItem(
        'wan-studio.settings.v1',
        JSON.stringify({ endpoint_choice: 'custom', custom_endpoint: endpoint, async_header: true, remember_key: true }),
      );
    },
    { endpoint, key },
  );
  await page.reload();
  await expect(page.locator('#form-h')).toBeVisible();
}

/**
 * What the page's database holds as the task ledger: `field` of every stored task (the whole
 * record when omitted), oldest first. Never creates the database.
 */
export async function storedTasks(page, field) {
  const rows = await fromDatabase(page, 'tasks', 'getAll');
  const tasks = rows.map((r) => JSON.parse(r.task)).sort((a, b) => a.submitted_at_ms - b.submitted_at_ms);
  return field ? tasks.map((t) => t[field]) : tasks;
}

/**
 * The hashes of the pictures the page's database keeps, sorted (kept videos, stored without a
 * pixel size, are left out: see keptMedia). Never creates the database.
 */
export async function keptPictures(page) {
  return (await fromDatabase(page, 'media', 'getAll', true)).filter((r) => r.width > 0).map((r) => r.hash).sort();
}

/** The hashes of everything the page's database keeps (pictures and videos), sorted. */
export async function keptMedia(page) {
  return (await fromDatabase(page, 'media', 'getAllKeys')).sort();
}

/** `store`'s `getAll()` or `getAllKeys()` in the page's database (none yet: `[]`; never created here). */
async function fromDatabase(page, store, how, withoutBlobs = false) {
  return page.evaluate(
    ({ store, how, withoutBlobs }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('wan-studio');
        // Not there yet: leave it to the app to create.
        open.onupgradeneeded = () => open.transaction.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction(store).objectStore(store)[how]();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            // Blobs do not cross into the test: their rows without them.
            resolve(withoutBlobs ? all.result.map(({ blob, ...rest }) => rest) : all.result);
          };
        };
      }),
    { store, how, withoutBlobs },
  );
}

// ---------------------------------------------------------------------------------------------
// Pictures from this computer.
// ---------------------------------------------------------------------------------------------
/** The model and mode picker, a media input's picture picker, and the whole media input. */
export const pictures = {
  mode: (page) => page.getByRole('combobox', { name: t('en', 'form.mode'), exact: true }),
  picker: (page, slot) =>
    page.getByLabel(t('en', 'form.media_pick', { what: t('en', `form.media.${slot}`) }), { exact: true }),
  field: (page, slot) =>
    page.locator('.media-field').filter({ has: page.getByRole('textbox', { name: t('en', `form.media.${slot}`), exact: true }) }),
};

/**
 * A picture made by the page's own canvas: `width`×`height`, green, or with `alpha` a red left
 * half and a transparent right half. Returns `{ name, mimeType, buffer }` for setInputFiles.
 */
export async function picture(page, { width, height, type = 'image/jpeg', alpha = false, name = 'picture' }) {
  const base64 = await page.evaluate(
    async ({ width, height, type, alpha }) => {
      const c = new OffscreenCanvas(width, height);
      const ctx = c.getContext('2d');
      ctx.fillStyle = alpha ? '#c00' : '#3a6';
      ctx.fillRect(0, 0, alpha ? width / 2 : width, height);
      const blob = await c.convertToBlob({ type, quality: 0.95 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    { width, height, type, alpha },
  );
  const ext = type.split('/')[1];
  return { name: `${name}.${ext}`, mimeType: type, buffer: Buffer.from(base64, 'base64') };
}


// ---------------------------------------------------------------------------------------------
// axe-core, injected through the DevTools protocol.
// ---------------------------------------------------------------------------------------------
let axeSource;
const AXE = () => (axeSource ??= readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));

/** Runs axe in light and dark; returns readable lines for every violation, labelled with `state`. */
export async function auditSchemes(page, state, schemes = ['light', 'dark']) {
  const found = [];
  for (const colorScheme of schemes) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    // page.evaluate goes through the DevTools protocol, so the page's CSP does not apply.
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE());
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    });
    for (const v of violations) {
      for (const n of v.nodes) {
        found.push(`[${state} / ${colorScheme}] ${v.id} (${v.impact}) ${n.target}\n    ${String(n.summary).replace(/\n/g, '\n    ')}`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: null, reducedMotion: null });
  return found;
}
