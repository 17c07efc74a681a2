// Security, end to end (issue 4):
// - the API key goes on the wire only in the Authorization header of calls to the chosen
//   endpoint: one whole session (success + video + download, a FAILED task, a refused submit and a
//   401 while polling — both echoing the key back —, Check again, export) is recorded on the
//   browser's and the simulator's side, and the key is found nowhere else: no URL, no other
//   header, no body, no console message, no exported file, no DOM text, no other storage entry;
// - everything that comes from the server or from storage is rendered as text: markup in a
//   prompt, a relay error, a plain-text reply, an HTML-ish 502 body, an unknown status and a FAILED
//   task's message stays inert, before and after a reload.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, chineseTextOf, fillForm, openApp, openCard, recordRequests, shownTaskId, ui, waitForVideo } from './ui.mjs';

const { card, cardStatus, formAlert } = ui;

/** Submits the form with `prompt`; returns the new task's id (one not in `known`). */
async function generate(page, prompt, known = []) {
  await fillForm(page, { prompt });
  await ui.generate(page).click();
  return shownTaskId(page, { known });
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

  test('the key appears only in Authorization headers to the endpoint during a whole session', async ({ app, sim, page, context, pageErrors }) => {
    test.setTimeout(150_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    // Everything the browser sends (page, media element, downloads), with every header.
    const recorded = recordRequests(context);
    const consoleMessages = [];
    page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()} ${JSON.stringify(m.location())}`));

    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    expect(await ui.apiKey(page).getAttribute('type'), 'the key field is masked').toBe('password');

    // 1. A task that succeeds: the video plays and is downloaded.
    const ok = await generate(page, 'A hummingbird hovering at a red flower, slow motion.');
    await expect(cardStatus(page, ok, 'Succeeded')).toBeVisible({ timeout: 30_000 });
    await waitForVideo(page);
    const [video] = await Promise.all([
      page.waitForEvent('download'),
      card(page, ok).getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    expect(readFileSync(await video.path()).length > 10_000, 'the video was downloaded').toBeTruthy();

    // 2. A task that fails.
    await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' } });
    const failed = await generate(page, 'A failing task for the record.', [ok]);
    await expect(cardStatus(page, failed, 'Failed')).toBeVisible({ timeout: 30_000 });

    // 3. A refused submit whose message echoes the key back.
    await sim.fault({ on: 'submit', http: 401, message: `invalid token ${TEST_KEY}` });
    await fillForm(page, { prompt: 'A refused submit.' });
    await ui.generate(page).click();
    const refused = formAlert(page, 'API key');
    await expect(refused).toBeVisible();
    expect(!(await refused.innerText()).includes(TEST_KEY), 'an echoed key is not displayed').toBeTruthy();

    // 4. A 401 while polling (echoing the key too), then Check again.
    await sim.fault({ on: 'query', http: 401, message: `token ${TEST_KEY} is not valid here` });
    const paused = await generate(page, 'A task whose first check is refused.', [ok, failed]);
    const queryAlert = card(page, paused).getByRole('alert').filter({ hasText: 'API key' }).first();
    await expect(queryAlert).toBeVisible({ timeout: 20_000 });
    expect(!(await queryAlert.innerText()).includes(TEST_KEY), 'an echoed key is not displayed in the card').toBeTruthy();
    await card(page, paused).getByRole('button', { name: 'Check again', exact: true }).click();
    await expect(cardStatus(page, paused, 'Succeeded')).toBeVisible({ timeout: 30_000 });

    // 5. Export the history.
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      ui.task(page).getByRole('button', { name: 'Export history', exact: true }).click(),
    ]);
    const exportText = readFileSync(await exported.path(), 'utf8');
    expect(exportText.includes(ok) && exportText.includes(failed) && exportText.includes(paused), 'the export holds the session\'s tasks').toBeTruthy();
    expect(exportText, 'the exported file never contains the key').not.toContain(TEST_KEY);

    // --- The page ---
    await ui.openSettings(page);
    const dom = await ui.apiKey(page).evaluate((input) => ({
      // The whole document minus the key field itself (the one place the key may live).
      html: document.documentElement.outerHTML.replace(input.outerHTML, ''),
      text: document.body.innerText,
      title: document.title,
      cookie: document.cookie,
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
    }));
    expect(dom.html, 'the key is nowhere in the DOM but its own field').not.toContain(TEST_KEY);
    expect(dom.text, 'the key is not in the page text').not.toContain(TEST_KEY);
    expect(!dom.title.includes(TEST_KEY) && !dom.cookie.includes(TEST_KEY), 'not in the title or a cookie').toBeTruthy();
    const keyEntries = [...dom.local, ...dom.session].filter(([, v]) => String(v).includes(TEST_KEY)).map(([k]) => k);
    expect(keyEntries, 'in storage the key sits only in its own entry').toEqual(['wan-studio.key.v1']);
    for (const m of consoleMessages) expect(m, `the key in a console message: ${m}`).not.toContain(TEST_KEY);
    expect(pageErrors.length).toBe(0);

    // --- The wire, as the browser saw it ---
    const requests = await recorded();
    const withKey = [];
    for (const r of requests) {
      const where = `${r.method} ${r.url} (${r.resourceType})`;
      const origin = new URL(r.url).origin;
      expect(origin === app.url || origin === sim.url, `only the app and the endpoint are contacted: ${where}`).toBeTruthy();
      expect(!r.url.includes(TEST_KEY) && !decodeURIComponent(r.url).includes(TEST_KEY), `key in the URL of ${where}`).toBeTruthy();
      expect(r.body, `key in the body of ${where}`).not.toContain(TEST_KEY);
      for (const [name, value] of Object.entries(r.headers)) {
        if (!String(value).includes(TEST_KEY)) continue;
        expect(name.toLowerCase(), `key in header ${name} of ${where}`).toBe('authorization');
        expect(r.url, `Authorization with the key sent to ${where}`).toBe(sim.endpoint);
        expect(r.method, `Authorization with the key on ${where}`).toBe('POST');
        expect(value, 'the bare key, nothing else').toBe(TEST_KEY);
        withKey.push(r);
      }
      if (new URL(r.url).pathname.startsWith('/video/')) {
        expect(r.headers.authorization, `no Authorization on the video request ${where}`).toBe(undefined);
      }
    }
    const videoRequests = requests.filter((r) => new URL(r.url).pathname.startsWith('/video/'));
    expect(videoRequests.length >= 2, `the player and the download fetched the video (${videoRequests.length} requests)`).toBeTruthy();
    const apiPosts = requests.filter((r) => r.method === 'POST' && r.url === sim.endpoint);
    expect(apiPosts.length >= 7, `4 submits and several queries recorded (${apiPosts.length})`).toBeTruthy();
    expect(withKey.length, 'every call to the endpoint is authorised with the key').toBe(apiPosts.length);

    // --- The wire, as the simulator saw it ---
    const seen = await sim.requests();
    expect(seen.filter((r) => r.method === 'POST').length, 'the simulator saw the same calls').toBe(apiPosts.length);
    for (const r of seen) {
      const where = `${r.method} ${r.path}`;
      expect(!String(r.path).includes(TEST_KEY) && !String(r.query).includes(TEST_KEY), `key in the URL of ${where}`).toBeTruthy();
      expect(String(r.body), `key in the body of ${where}`).not.toContain(TEST_KEY);
      for (const [name, value] of Object.entries(r.headers)) {
        if (name === 'authorization' && r.method === 'POST' && r.pathname === '/v1/responses') {
          expect(value, `Authorization of ${where}`).toBe(TEST_KEY);
          continue;
        }
        expect(String(value), `key in header ${name} of ${where}`).not.toContain(TEST_KEY);
      }
      if (r.pathname.startsWith('/video/')) expect(r.headers.authorization, `no Authorization on ${where}`).toBe(undefined);
    }
  });

});

// Markup that would run if it were ever parsed as HTML.
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Nothing ran, no element was made of the markup, and the CSP had nothing to block. */
async function assertInert(page, cspReports, where) {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  }));
  expect(state, `markup stayed inert (${where})`).toEqual({ pwned: undefined, imgs: 0, scripts: 0, handlers: 0 });
  expect(cspReports, `nothing for the Content-Security-Policy to block (${where})`).toEqual([]);
}

test.describe(() => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 700 } });

  test('markup from the server or from storage is shown as text and stays inert', async ({ app, sim, page }) => {
    const cspReports = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) cspReports.push(m.text());
    });
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });

    // Server-side texts in the form's alert: a relay error message, a plain-text reply, a 502 body.
    const formTexts = [
      [{ on: 'submit', http: 400, message: XSS }, `HTTP 400 · invalid_request: ${XSS}`],
      [{ on: 'submit', text: XSS }, XSS],
      [{ on: 'submit', raw: { status: 502, body: `Bad gateway: ${XSS}` } }, `HTTP 502: Bad gateway: ${XSS}`],
    ];
    for (const [fault, shown] of formTexts) {
      await sim.fault(fault);
      await fillForm(page, { prompt: 'A harmless prompt.' });
      await ui.generate(page).click();
      const code = ui.section(page, 'New video').getByRole('alert').locator('code').filter({ hasText: shown.slice(0, 40) }).first();
      // Retried until the new alert has replaced the previous one (whose text can match the filter too).
      await expect(code, 'shown literally').toHaveText(new RegExp(`^${escapeRegExp(shown)}`), { useInnerText: true });
      await assertInert(page, cspReports, `${JSON.stringify(fault)}`);
    }

    // A task with the markup as its prompt, an unknown status made of markup, and a FAILED message
    // made of markup.
    await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: XSS } });
    await sim.fault({ on: 'query', status: XSS });
    const id = await generate(page, XSS, await ui.cards(page).evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label').slice(5))));
    await expect(cardStatus(page, id, XSS)).toBeVisible({ timeout: 20_000 });
    await assertInert(page, cspReports, 'an unknown status');
    await expect(cardStatus(page, id, 'Failed')).toBeVisible({ timeout: 30_000 });
    const failure = card(page, id).getByRole('alert').first();
    await expect(failure).toBeVisible();
    const failureText = await failure.innerText();
    expect(/moderation/.test(failureText), `DataInspectionFailed is explained (moderation):\n${failureText}`).toBeTruthy();
    const failureZh = await chineseTextOf(page, failure);
    expect(/审核/.test(failureZh), `and in Chinese (审核):\n${failureZh}`).toBeTruthy();
    expect(await failure.locator('code').first().innerText(), 'the FAILED message is shown literally').toBe(`DataInspectionFailed: ${XSS}`);
    await expect(card(page, id).getByText(XSS, { exact: true }).first()).toBeVisible();
    await assertInert(page, cspReports, 'a FAILED task');

    // The same, rendered again from storage.
    await page.reload();
    await expect(cardStatus(page, id, 'Failed')).toBeVisible();
    await expect(card(page, id).getByText(XSS, { exact: true }).first()).toBeVisible();
    await openCard(page, id);
    expect(await card(page, id).getByRole('alert').locator('code').first().innerText()).toBe(`DataInspectionFailed: ${XSS}`);
    await assertInert(page, cspReports, 'after a reload, from storage');
  });
});
