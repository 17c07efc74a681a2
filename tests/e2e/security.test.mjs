// Security, end to end (issue 4):
// - the API key goes on the wire only in the Authorization header of calls to the chosen
//   endpoint: one whole session (success + video + download, a FAILED task, a refused submit and a
//   401 while polling — both echoing the key back —, Check again, export) is recorded on the
//   browser's and the simulator's side, and the key is found nowhere else: no URL, no other
//   header, no body, no console message, no exported file, no DOM text, no other storage entry;
// - everything that comes from the server or from storage is rendered as text: markup in a
//   prompt, a relay error, a plain-text reply, an HTML-ish 502 body, an unknown status and a FAILED
//   task's message stays inert, before and after a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TEST_KEY, chineseTextOf, e2e, fillForm, openApp, shownTaskId, ui, waitForVideo, waitUntil } from './harness.mjs';

const card = (page, id) => ui.task(page).getByRole('article', { name: `Task ${id}` });
const cardStatus = (page, id, word) => card(page, id).getByRole('status').filter({ hasText: word }).first();
const formAlert = (page, hasText) => ui.section(page, 'New video').getByRole('alert').filter({ hasText }).first();

/** Submits the form with `prompt`; returns the new task's id (one not in `known`). */
async function generate(page, prompt, known = []) {
  await fillForm(page, { prompt });
  await ui.generate(page).click();
  return waitUntil(
    async () => {
      const id = await shownTaskId(page);
      return !known.includes(id) && id;
    },
    { timeout: 30_000, message: 'a new task id' },
  );
}

e2e('the key appears only in Authorization headers to the endpoint during a whole session', { pendingMs: 300, runningMs: 1_000, timeout: 150_000 }, async ({ app, sim, page, context, pageErrors }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  // Everything the browser sends (page, media element, downloads), with every header.
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
  const consoleMessages = [];
  page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()} ${JSON.stringify(m.location())}`));

  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  assert.equal(await ui.apiKey(page).getAttribute('type'), 'password', 'the key field is masked');

  // 1. A task that succeeds: the video plays and is downloaded.
  const ok = await generate(page, 'A hummingbird hovering at a red flower, slow motion.');
  await cardStatus(page, ok, 'Succeeded').waitFor({ timeout: 30_000 });
  await waitForVideo(page);
  const [video] = await Promise.all([
    page.waitForEvent('download'),
    card(page, ok).getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  assert.ok(readFileSync(await video.path()).length > 10_000, 'the video was downloaded');

  // 2. A task that fails.
  await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' } });
  const failed = await generate(page, 'A failing task for the record.', [ok]);
  await cardStatus(page, failed, 'Failed').waitFor({ timeout: 30_000 });

  // 3. A refused submit whose message echoes the key back.
  await sim.fault({ on: 'submit', http: 401, message: `invalid token ${TEST_KEY}` });
  await fillForm(page, { prompt: 'A refused submit.' });
  await ui.generate(page).click();
  const refused = formAlert(page, 'API key');
  await refused.waitFor();
  assert.ok(!(await refused.innerText()).includes(TEST_KEY), 'an echoed key is not displayed');

  // 4. A 401 while polling (echoing the key too), then Check again.
  await sim.fault({ on: 'query', http: 401, message: `token ${TEST_KEY} is not valid here` });
  const paused = await generate(page, 'A task whose first check is refused.', [ok, failed]);
  const queryAlert = card(page, paused).getByRole('alert').filter({ hasText: 'API key' }).first();
  await queryAlert.waitFor({ timeout: 20_000 });
  assert.ok(!(await queryAlert.innerText()).includes(TEST_KEY), 'an echoed key is not displayed in the card');
  await card(page, paused).getByRole('button', { name: 'Check again', exact: true }).click();
  await cardStatus(page, paused, 'Succeeded').waitFor({ timeout: 30_000 });

  // 5. Export the history.
  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    ui.task(page).getByRole('button', { name: 'Export history', exact: true }).click(),
  ]);
  const exportText = readFileSync(await exported.path(), 'utf8');
  assert.ok(exportText.includes(ok) && exportText.includes(failed) && exportText.includes(paused), 'the export holds the session\'s tasks');
  assert.ok(!exportText.includes(TEST_KEY), 'the exported file never contains the key');

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
  assert.ok(!dom.html.includes(TEST_KEY), 'the key is nowhere in the DOM but its own field');
  assert.ok(!dom.text.includes(TEST_KEY), 'the key is not in the page text');
  assert.ok(!dom.title.includes(TEST_KEY) && !dom.cookie.includes(TEST_KEY), 'not in the title or a cookie');
  const keyEntries = [...dom.local, ...dom.session].filter(([, v]) => String(v).includes(TEST_KEY)).map(([k]) => k);
  assert.deepEqual(keyEntries, ['wan-studio.key.v1'], 'in storage the key sits only in its own entry');
  for (const m of consoleMessages) assert.ok(!m.includes(TEST_KEY), `the key in a console message: ${m}`);
  assert.equal(pageErrors.length, 0);

  // --- The wire, as the browser saw it ---
  const requests = await Promise.all(pending);
  const withKey = [];
  for (const r of requests) {
    const where = `${r.method} ${r.url} (${r.resourceType})`;
    const origin = new URL(r.url).origin;
    assert.ok(origin === app.url || origin === sim.url, `only the app and the endpoint are contacted: ${where}`);
    assert.ok(!r.url.includes(TEST_KEY) && !decodeURIComponent(r.url).includes(TEST_KEY), `key in the URL of ${where}`);
    assert.ok(!r.body.includes(TEST_KEY), `key in the body of ${where}`);
    for (const [name, value] of Object.entries(r.headers)) {
      if (!String(value).includes(TEST_KEY)) continue;
      assert.equal(name.toLowerCase(), 'authorization', `key in header ${name} of ${where}`);
      assert.equal(r.url, sim.endpoint, `Authorization with the key sent to ${where}`);
      assert.equal(r.method, 'POST', `Authorization with the key on ${where}`);
      assert.equal(value, TEST_KEY, 'the bare key, nothing else');
      withKey.push(r);
    }
    if (new URL(r.url).pathname.startsWith('/video/')) {
      assert.equal(r.headers.authorization, undefined, `no Authorization on the video request ${where}`);
    }
  }
  const videoRequests = requests.filter((r) => new URL(r.url).pathname.startsWith('/video/'));
  assert.ok(videoRequests.length >= 2, `the player and the download fetched the video (${videoRequests.length} requests)`);
  const apiPosts = requests.filter((r) => r.method === 'POST' && r.url === sim.endpoint);
  assert.ok(apiPosts.length >= 7, `4 submits and several queries recorded (${apiPosts.length})`);
  assert.equal(withKey.length, apiPosts.length, 'every call to the endpoint is authorised with the key');

  // --- The wire, as the simulator saw it ---
  const seen = await sim.requests();
  assert.equal(seen.filter((r) => r.method === 'POST').length, apiPosts.length, 'the simulator saw the same calls');
  for (const r of seen) {
    const where = `${r.method} ${r.path}`;
    assert.ok(!String(r.path).includes(TEST_KEY) && !String(r.query).includes(TEST_KEY), `key in the URL of ${where}`);
    assert.ok(!String(r.body).includes(TEST_KEY), `key in the body of ${where}`);
    for (const [name, value] of Object.entries(r.headers)) {
      if (name === 'authorization' && r.method === 'POST' && r.pathname === '/v1/responses') {
        assert.equal(value, TEST_KEY, `Authorization of ${where}`);
        continue;
      }
      assert.ok(!String(value).includes(TEST_KEY), `key in header ${name} of ${where}`);
    }
    if (r.pathname.startsWith('/video/')) assert.equal(r.headers.authorization, undefined, `no Authorization on ${where}`);
  }
});

// Markup that would run if it were ever parsed as HTML.
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

/** Nothing ran, no element was made of the markup, and the CSP had nothing to block. */
async function assertInert(page, cspReports, where) {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  }));
  assert.deepEqual(state, { pwned: undefined, imgs: 0, scripts: 0, handlers: 0 }, `markup stayed inert (${where})`);
  assert.deepEqual(cspReports, [], `nothing for the Content-Security-Policy to block (${where})`);
}

e2e('markup from the server or from storage is shown as text and stays inert', { pendingMs: 300, runningMs: 700 }, async ({ app, sim, page }) => {
  const cspReports = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) cspReports.push(m.text());
  });
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });

  // Server-side texts in the form's alert: a relay error message, a plain-text reply, a 502 body.
  const formTexts = [
    [{ on: 'submit', http: 400, message: XSS }, `HTTP 400 · invalid_request: ${XSS} (request id: `],
    [{ on: 'submit', text: XSS }, XSS],
    [{ on: 'submit', raw: { status: 502, body: `Bad gateway: ${XSS}` } }, `HTTP 502: Bad gateway: ${XSS}`],
  ];
  for (const [fault, shown] of formTexts) {
    await sim.fault(fault);
    await fillForm(page, { prompt: 'A harmless prompt.' });
    await ui.generate(page).click();
    const code = ui.section(page, 'New video').getByRole('alert').locator('code').filter({ hasText: shown.slice(0, 40) }).first();
    await code.waitFor();
    assert.ok((await code.innerText()).startsWith(shown), `shown literally: ${await code.innerText()}`);
    await assertInert(page, cspReports, `${JSON.stringify(fault)}`);
  }

  // A task with the markup as its prompt, an unknown status made of markup, and a FAILED message
  // made of markup.
  await sim.fault({ on: 'submit', task_fails: { code: 'DataInspectionFailed', message: XSS } });
  await sim.fault({ on: 'query', status: XSS });
  const id = await generate(page, XSS, await ui.cards(page).evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label').slice(5))));
  await cardStatus(page, id, XSS).waitFor({ timeout: 20_000 });
  await assertInert(page, cspReports, 'an unknown status');
  await cardStatus(page, id, 'Failed').waitFor({ timeout: 30_000 });
  const failure = card(page, id).getByRole('alert').first();
  await failure.waitFor();
  const failureText = await failure.innerText();
  assert.ok(/moderation/.test(failureText), `DataInspectionFailed is explained (moderation):\n${failureText}`);
  const failureZh = await chineseTextOf(page, failure);
  assert.ok(/审核/.test(failureZh), `and in Chinese (审核):\n${failureZh}`);
  assert.equal(await failure.locator('code').first().innerText(), `DataInspectionFailed: ${XSS}`, 'the FAILED message is shown literally');
  await card(page, id).getByText(XSS, { exact: true }).first().waitFor();
  await assertInert(page, cspReports, 'a FAILED task');

  // The same, rendered again from storage.
  await page.reload();
  await cardStatus(page, id, 'Failed').waitFor();
  await card(page, id).getByText(XSS, { exact: true }).first().waitFor();
  assert.equal(await card(page, id).getByRole('alert').locator('code').first().innerText(), `DataInspectionFailed: ${XSS}`);
  await assertInert(page, cspReports, 'after a reload, from storage');
});
