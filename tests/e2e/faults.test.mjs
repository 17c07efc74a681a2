// Every way a call can fail (issue 4), injected through the simulator's fault API, with the exact
// outcome a user meets: the cause and next step in English then Chinese, the server's own words
// in a <code>, the relay's request id with a working "Copy request id", and what happens next —
// a submit is never re-sent (and says when the task may exist anyway), polling backs off and
// carries on after transient faults, and stops for permanent ones until "Check again".
//
// Already covered elsewhere (not repeated here): 401 on submit, FAILED DataInspectionFailed and
// 429 with Retry-After while polling (errors.test.mjs); CANCELED, UNKNOWN, an unrecognised status
// and a refused connection on submit (results.test.mjs); a 504 submit kept as "May have been
// created" across a reload (ledger.test.mjs).
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, cardAction, chineseTextOf, fastForward, fillForm, openApp, shownTaskId, ui, waitForVideo } from './ui.mjs';

const PROMPT = 'A red kite climbing over green hills on a windy afternoon, aerial shot.';
/** The app's test hook replacing both client time limits (ms). */
const TIMEOUT_HOOK = 'wan-studio.debug.timeout-ms';
/** A quick task: finished long before the first poll (5 s after the submit). */
const QUICK = { pendingMs: 300, runningMs: 700 };

const { card, cardStatus, formAlert } = ui;
const unconfirmedCards = (page) => ui.cards(page).filter({ hasText: 'May have been created' });

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const PLAIN_TEXT = 'upstream error: the model service is busy, please try again later';

/**
 * The relay errors (PROTOCOL.md §6) with the simulator's default message and code for each
 * status, and the words of the app's explanation (src/api/error.rs).
 */
const RELAY = {
  400: { en: 'parameter', zh: '参数', code: 'invalid_request', message: 'bad request: the request body is malformed' },
  401: { en: 'API key', zh: '密钥', code: 'invalid_api_key', message: '无效的令牌 (invalid token)' },
  403: { en: 'quota', zh: '额度', code: 'insufficient_user_quota', message: '用户额度不足 (token quota exhausted or group disabled)' },
  404: { en: '/v1/responses', zh: '接口地址', code: null, message: 'Invalid URL (POST /v1/responses)' },
  413: { en: 'Shorten', zh: '缩短', code: 'request_too_large', message: 'request body too large' },
  429: { en: 'rate limiting', zh: '限流', code: 'rate_limit_exceeded', message: 'rate limit exceeded, please retry later' },
  500: { en: 'internal', zh: '内部', code: 'internal_error', message: 'internal server error' },
  503: { en: 'unavailable', zh: '不可用', code: 'model_not_found', message: 'no available channel for model wan2.6-t2v under group default (distributor)' },
  504: { en: 'timed out', zh: '超时', code: 'gateway_timeout', message: 'gateway timeout: upstream did not respond in time' },
  524: { en: 'timed out', zh: '超时', code: 'timeout', message: 'a timeout occurred: upstream connection timed out' },
};

// The relay's words, without the "(request id: …)" they end with: the id has a line of its own.
const relayDetail = (status) => {
  const { code, message } = RELAY[status];
  return { exact: code ? `HTTP ${status} · ${code}: ${message}` : `HTTP ${status}: ${message}` };
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * Queues `faults`, opens the app (with Playwright's clock installed, running at normal speed, so
 * fastForward() can later fire the app's timers at once; optionally with the client time limits
 * shortened to `timeoutMs`), configures key + simulator endpoint, and presses Generate once.
 */
async function generateWith({ app, sim, page, context }, { faults = [], timeoutMs } = {}) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  await page.clock.install();
  if (timeoutMs !== undefined) {
    await page.addInitScript(
      ([key, ms]) => {
        try {
          localStorage.setItem(key, String(ms));
        } catch {}
      },
      [TIMEOUT_HOOK, timeoutMs],
    );
  }
  for (const f of faults) await sim.fault(f);
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  await fillForm(page, { prompt: PROMPT });
  await ui.generate(page).click();
}

/**
 * Checks one explained problem (an ErrorBox, role="alert"):
 * - `en` then `zh` (each a string or a list of strings that must all appear; English first);
 * - "may have been created" / "可能已创建" present exactly when `maybeCreated`;
 * - `detail`: the first <code> starts with it (a string), or equals it ({ exact }), or there is
 *   no <code> detail at all (null);
 * - `requestId`: true → a "Request id / 请求 ID: <id>" line whose "Copy request id" button puts
 *   the id on the clipboard and then reads "Copied" (and, for relay errors, the detail quotes the
 *   same id); false → no such line.
 * Returns the request id (or undefined).
 */
async function assertExplained(page, alert, { en, zh, maybeCreated, detail, requestId }) {
  alert = alert.first();
  const text = await alert.innerText();
  const ens = [en].flat();
  const zhs = [zh].flat();
  for (const w of ens) expect(text, `English "${w}" in the alert`).toContain(w);
  expect(text.includes('may have been created'), `"may have been created" iff ${maybeCreated}:\n${text}`).toBe(maybeCreated);
  // The same alert after switching the page to Chinese.
  const zhText = await chineseTextOf(page, alert);
  for (const w of zhs) expect(zhText, `Chinese "${w}" in the alert`).toContain(w);
  // The server's own words (in <code>) stay as they were sent.
  let zhProse = zhText;
  for (const c of await alert.locator('code').allInnerTexts()) zhProse = zhProse.replace(c, '');
  for (const w of ens.filter((w) => /^[a-z ]+$/i.test(w) && !/HTTP|CORS|API/.test(w))) {
    expect(zhProse, `no English "${w}" left in Chinese:\n${zhText}`).not.toContain(w);
  }
  expect(zhText.includes('可能已创建'), `"可能已创建" iff ${maybeCreated}:\n${zhText}`).toBe(maybeCreated);

  const codes = alert.locator('code');
  let detailText;
  if (detail === null) {
    // Only the request id may be in a <code>.
    const all = await codes.allInnerTexts();
    expect(all.length, `no server detail expected, found <code>s: ${JSON.stringify(all)}`).toBeLessThanOrEqual(requestId ? 1 : 0);
  } else if (detail !== undefined) {
    detailText = await codes.first().innerText();
    if (typeof detail === 'string') {
      expect(detailText.startsWith(detail), `detail starts with ${JSON.stringify(detail)}; got ${JSON.stringify(detailText)}`).toBe(true);
    } else {
      expect(detailText, 'the detail').toBe(detail.exact);
    }
    expect(text.indexOf(ens[0]), `the detail comes after the explanation:\n${text}`).toBeLessThan(text.lastIndexOf(detailText));
  }

  const copy = alert.getByRole('button', { name: 'Copy request id', exact: true });
  if (!requestId) {
    expect(text, 'no request id line expected').not.toMatch(/Request id/);
    await expect(copy, 'no "Copy request id" button').toHaveCount(0);
    return undefined;
  }
  const id = text.match(/Request id:\s*(\S+)/)?.[1];
  expect(id, `a "Request id: <id>" line:\n${text}`).toBeTruthy();
  expect(detailText ?? '', 'the request id is shown once, on its own line').not.toContain('request id');
  await copy.click();
  await expect(alert.getByRole('button', { name: 'Copied', exact: true })).toBeVisible({ timeout: 5_000 });
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { message: 'the clipboard holds the request id', timeout: 5_000 }).toBe(id);
  return id;
}

/**
 * After a failed submit: exactly one submit reached the simulator, and it stays one once every
 * timer the app would fire in the next 30 s has fired (fastForward: any retry, a Retry-After
 * included, would have gone out by then).
 */
async function assertSentOnce({ page, sim, pageRequests }) {
  expect(await sim.submits(), 'exactly one submit reached the simulator').toHaveLength(1);
  await fastForward(page, pageRequests);
  expect(await sim.submits(), 'the submit is never re-sent automatically').toHaveLength(1);
}

/** After a failed submit: the form is usable again and nothing typed is lost. */
async function assertFormIntact(page) {
  await expect(ui.generate(page), 'Generate is usable again').toBeEnabled({ timeout: 5_000 });
  await expect(ui.prompt(page), 'the prompt is kept').toHaveValue(PROMPT);
  await expect(ui.apiKey(page), 'the key is kept').toHaveValue(TEST_KEY);
}

/** After a failed submit: either no card at all, or exactly one "May have been created" card. */
async function assertCards(page, sim, maybeCreated) {
  if (maybeCreated) {
    await expect(unconfirmedCards(page).first()).toBeVisible();
    await expect(ui.cards(page), 'one card: "May have been created"').toHaveCount(1);
    await expect(unconfirmedCards(page)).toHaveCount(1);
  } else {
    await expect(ui.cards(page), 'no task card after a refused submit').toHaveCount(0);
  }
  expect(await sim.queries(), 'nothing polled: there is no task id').toHaveLength(0);
}

/**
 * One failed submit, from Generate until the form is ready again: the alert in the form that
 * contains `alertText` is explained as `explained` says (see assertExplained; `maybeCreated` left
 * out = whatever the alert says, checked the same way in both languages), `extra(alert)` holds,
 * the submit went out once and is never re-sent, the cards are as they should be, and nothing typed
 * is lost.
 */
async function assertFailedSubmit(env, { faults, timeoutMs, alertText, alertTimeout, explained, extra }) {
  const { page, sim } = env;
  await generateWith(env, { faults, timeoutMs });
  const alert = formAlert(page, alertText);
  await expect(alert).toBeVisible({ timeout: alertTimeout });
  const maybeCreated = explained.maybeCreated ?? (await alert.innerText()).includes('may have been created');
  await assertExplained(page, alert, { ...explained, maybeCreated });
  await extra?.(alert);
  await assertSentOnce(env);
  await assertCards(page, sim, maybeCreated);
  await assertFormIntact(page);
}

const cardAlert = (page, id, hasText) => card(page, id).getByRole('alert').filter({ hasText }).first();

// Most of these tests wait on the app's 5-second poll schedule, idle: they run in parallel (each
// has its own simulator and browser context).
test.describe('faults', () => {
  // ---------------------------------------------------------------------------------------------
  // 1–11. HTTP errors on submit
  // ---------------------------------------------------------------------------------------------

  // [label, fault, status (for the expected words), may the task exist?]. A Retry-After must not
  // turn into an automatic re-send: assertSentOnce() fires every timer of the next 30 s.
  const SUBMIT_HTTP = [
    ['400', { http: 400 }, 400, false],
    ['403', { http: 403 }, 403, false],
    ['404', { http: 404 }, 404, false],
    ['413', { http: 413 }, 413, false],
    ['429 without Retry-After', { http: 429 }, 429, false],
    ['429 with Retry-After', { http: 429, retry_after: 1 }, 429, false],
    ['500', { http: 500 }, 500, true],
    ['503', { http: 503 }, 503, false],
    ['504', { http: 504 }, 504, true],
    ['524', { http: 524 }, 524, true],
  ];

  for (const [label, fault, status, maybeCreated] of SUBMIT_HTTP) {
    const what = maybeCreated ? 'the task may exist: kept as "May have been created"' : 'no task';
    test(`submit, HTTP ${label}: bilingual cause and next step, relay detail, copyable request id; ${what}; never re-sent`, async ({ app, sim, page, context, pageRequests }) => {
      const { en, zh } = RELAY[status];
      await assertFailedSubmit({ app, sim, page, context, pageRequests }, {
        faults: [{ on: 'submit', ...fault }],
        alertText: en,
        explained: { en: [en, `HTTP ${status}`], zh, maybeCreated, detail: relayDetail(status), requestId: true },
      });
    });
  }

  // 11. A non-JSON body (an HTML error page) with status 502.
  test('submit, HTTP 502 with an HTML page: "upstream" explained without the markup; the task may exist; never re-sent', async ({ app, sim, page, context, pageRequests }) => {
    await assertFailedSubmit({ app, sim, page, context, pageRequests }, {
      faults: [{ on: 'submit', raw: { status: 502, content_type: 'text/html', body: HTML_502 } }],
      alertText: 'upstream',
      explained: { en: ['upstream', 'HTTP 502'], zh: '上游', maybeCreated: true, detail: { exact: 'HTTP 502' }, requestId: false },
      extra: async (alert) => {
        expect(await alert.innerText(), 'the HTML page itself is not dumped into the message').not.toMatch(/<html|<h1|nginx/i);
      },
    });
  });

  // ---------------------------------------------------------------------------------------------
  // 12–13. Replies that are not a task
  // ---------------------------------------------------------------------------------------------

  test('submit, 200 envelope with an empty output: "not a DMXAPI reply", with its request id; never re-sent', async ({ app, sim, page, context, pageRequests }) => {
    // The envelope carries a request_id: users quote it to support.
    await assertFailedSubmit({ app, sim, page, context, pageRequests }, {
      faults: [{ on: 'submit', empty_output: true }],
      alertText: 'not a DMXAPI reply',
      explained: { en: 'not a DMXAPI reply', zh: 'DMXAPI', requestId: true },
    });
  });

  test('submit, 200 envelope whose text is not JSON: "a message instead of a task", the text in <code>, request id; never re-sent', async ({ app, sim, page, context, pageRequests }) => {
    await assertFailedSubmit({ app, sim, page, context, pageRequests }, {
      faults: [{ on: 'submit', text: PLAIN_TEXT }],
      alertText: 'answered with a message instead of a task',
      explained: { en: 'answered with a message instead of a task', zh: '返回了一条消息', detail: { exact: PLAIN_TEXT }, requestId: true },
    });
  });

  // ---------------------------------------------------------------------------------------------
  // 16. CORS refused
  // ---------------------------------------------------------------------------------------------

  test('submit, CORS preflight refused: "could not reach the endpoint … CORS", the task may exist, nothing re-sent', async ({ app, sim, page, context, pageRequests }) => {
    await generateWith({ app, sim, page, context }, { faults: [{ on: 'preflight', cors: false }] });
    const alert = formAlert(page, 'could not reach the endpoint');
    await expect(alert).toBeVisible({ timeout: 20_000 });
    await assertExplained(page, alert, {
      en: ['could not reach the endpoint (offline, blocked, or CORS)'],
      zh: ['无法连接', 'CORS'],
      maybeCreated: true,
      requestId: false,
    });
    const calls = await sim.apiCalls();
    expect(calls.filter((r) => r.method === 'OPTIONS'), 'one preflight, refused').toHaveLength(1);
    expect(await sim.submits(), 'the browser never sent the POST').toHaveLength(0);
    expect(calls, 'nothing but the preflight').toHaveLength(1);
    await fastForward(page, pageRequests);
    expect(await sim.apiCalls(), 'nothing is tried again').toHaveLength(1);
    await assertCards(page, sim, true);
    await assertFormIntact(page);
  });

  test('submit, reply without CORS headers (the task was created but is unreadable): "may have been created", never re-sent', async ({ app, sim, page, context, pageRequests }) => {
    await assertFailedSubmit({ app, sim, page, context, pageRequests }, {
      faults: [{ on: 'submit', cors: false }],
      alertText: 'could not reach the endpoint',
      alertTimeout: 20_000,
      explained: { en: ['could not reach the endpoint', 'CORS'], zh: ['无法连接', 'CORS'], maybeCreated: true, requestId: false },
    });
  });

  // ---------------------------------------------------------------------------------------------
  // 17. Slower than the client's time limit
  // ---------------------------------------------------------------------------------------------

  test('submit slower than the client timeout: "did not answer within", the task may exist, never re-sent', async ({ app, sim, page, context, pageRequests }) => {
    await assertFailedSubmit({ app, sim, page, context, pageRequests }, {
      timeoutMs: 1_500,
      faults: [{ on: 'submit', delay_ms: 5_000 }],
      alertText: 'did not answer within',
      alertTimeout: 10_000,
      explained: { en: 'did not answer within', zh: '没有响应', maybeCreated: true, requestId: false },
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Faults while polling. The first poll comes 5 s after the submit; the faults below hit it.
  // ---------------------------------------------------------------------------------------------
  test.describe(() => {
    test.use({ simOptions: QUICK });

    // A failing submit must not cost what is already stored: an earlier finished task stays intact.
    test('submit, HTTP 524 after a finished task: the earlier task and its video are kept beside the new "May have been created" card', async ({ app, sim, page, context, pageRequests }) => {
      await generateWith({ app, sim, page, context });
      const first = await shownTaskId(page);
      await expect(cardStatus(page, first, 'Succeeded')).toBeVisible({ timeout: 30_000 });
      await waitForVideo(page);

      await sim.fault({ on: 'submit', http: 524 });
      await fillForm(page, { prompt: `${PROMPT} Again.` });
      await ui.generate(page).click();
      await expect(formAlert(page, 'may have been created')).toBeVisible();
      await expect(unconfirmedCards(page).first()).toBeVisible();
      await expect(ui.cards(page), 'the finished task and the uncertain one').toHaveCount(2);
      await expect(cardStatus(page, first, 'Succeeded')).toBeVisible({ timeout: 1_000 });
      await expect(card(page, first).locator('video'), 'the finished task keeps its video').toHaveCount(1);
      expect(await sim.submits(), 'one submit per click').toHaveLength(2);
      await fastForward(page, pageRequests);
      expect(await sim.submits(), 'the failed submit is not re-sent').toHaveLength(2);
    });

    /** Submits normally (faults aimed at queries queued first); returns the task id. */
    async function submitThenPoll(env, faults, opts = {}) {
      await generateWith(env, { faults, ...opts });
      const id = await shownTaskId(env.page);
      await expect(card(env.page, id)).toBeVisible();
      return id;
    }

    /** A transient fault: explained in the card, then polling continues and the task succeeds. */
    async function assertTransient({ page, sim }, id, { hasText, explained, polls = 2 }) {
      const alert = cardAlert(page, id, hasText);
      await expect(alert).toBeVisible({ timeout: 20_000 });
      await assertExplained(page, alert, { maybeCreated: false, ...explained });
      await expect(card(page, id).getByRole('button', { name: 'Check again', exact: true }), 'no "Check again": the app carries on by itself').toHaveCount(0);
      await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 60_000 });
      await expect(card(page, id).getByRole('alert').filter({ hasText })).toHaveCount(0, { timeout: 5_000 });
      const queries = await sim.queries();
      expect(queries.length, 'polled again after the fault').toBeGreaterThanOrEqual(polls);
      for (const q of queries) expect(q.json.input, 'every query asks for this task').toBe(id);
      expect(await sim.submits(), 'a fault while polling never re-submits').toHaveLength(1);
      await waitForVideo(page);
      return queries;
    }

    const QUERY_TRANSIENT = [
      ['HTTP 500', { http: 500 }, { hasText: 'internal', explained: { en: ['internal', 'HTTP 500'], zh: '内部', detail: relayDetail(500), requestId: true } }],
      ['HTTP 502 HTML page', { raw: { status: 502, content_type: 'text/html', body: HTML_502 } }, { hasText: 'upstream', explained: { en: ['upstream', 'HTTP 502'], zh: '上游', detail: { exact: 'HTTP 502' }, requestId: false } }],
      ['HTTP 504', { http: 504 }, { hasText: 'timed out', explained: { en: ['timed out', 'HTTP 504'], zh: '超时', detail: relayDetail(504), requestId: true } }],
      ['HTTP 524', { http: 524 }, { hasText: 'timed out', explained: { en: ['timed out', 'HTTP 524'], zh: '超时', detail: relayDetail(524), requestId: true } }],
      ['an envelope with an empty output', { empty_output: true }, { hasText: 'not a DMXAPI reply', explained: { en: 'not a DMXAPI reply', zh: 'DMXAPI', requestId: true } }],
      ['an envelope whose text is not JSON', { text: PLAIN_TEXT }, { hasText: 'instead of a task', explained: { en: 'answered with a message instead of a task', zh: '返回了一条消息', detail: { exact: PLAIN_TEXT }, requestId: true } }],
      ['a reply without CORS headers', { cors: false }, { hasText: 'could not reach the endpoint', explained: { en: ['could not reach the endpoint', 'CORS'], zh: ['无法连接', 'CORS'], requestId: false } }],
    ];

    for (const [label, fault, expected] of QUERY_TRANSIENT) {
      test(`poll, ${label}: explained in the card; polling continues and the task succeeds`, async ({ app, sim, page, context }) => {
        const id = await submitThenPoll({ app, sim, page, context }, [{ on: 'query', times: 1, ...fault }]);
        await assertTransient({ page, sim }, id, expected);
      });
    }

    test('poll, HTTP 503 twice: explained in the card; polling backs off (5 s, then 10 s) and the task succeeds', async ({ app, sim, page, context }) => {
      const id = await submitThenPoll({ app, sim, page, context }, [{ on: 'query', times: 2, http: 503 }]);
      const queries = await assertTransient({ page, sim }, id, {
        hasText: 'unavailable',
        explained: { en: ['unavailable', 'HTTP 503'], zh: '不可用', detail: relayDetail(503), requestId: true },
        polls: 3,
      });
      const [a, b, c] = queries.map((q) => q.at_ms);
      expect(b - a, 'after the first failure the next poll waits ~5 s').toBeGreaterThanOrEqual(4_500);
      expect(c - b, 'after the second failure in a row it waits ~10 s').toBeGreaterThanOrEqual(9_500);
    });

    test('poll, HTTP 429 without Retry-After: explained in the card; polling backs off well past 5 s, then continues', async ({ app, sim, page, context }) => {
      const id = await submitThenPoll({ app, sim, page, context }, [{ on: 'query', times: 1, http: 429 }]);
      const alert = cardAlert(page, id, 'rate limiting');
      await expect(alert).toBeVisible({ timeout: 20_000 });
      await assertExplained(page, alert, { en: ['rate limiting', 'HTTP 429'], zh: '限流', maybeCreated: false, detail: relayDetail(429), requestId: true });
      await expect(card(page, id).getByRole('button', { name: 'Check again', exact: true }), 'no "Check again" for a rate limit').toHaveCount(0);
      await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 60_000 });
      await expect(card(page, id).getByRole('alert').filter({ hasText: 'rate limiting' })).toHaveCount(0, { timeout: 5_000 });
      // Normal polling would come back after 5 s; a rate limit makes it wait longer. The
      // simulator's own record of when each query arrived shows the gap.
      const queries = await sim.queries();
      expect(queries.length, 'polled again after the 429').toBeGreaterThanOrEqual(2);
      expect(queries[1].at_ms - queries[0].at_ms, 'the retry came after the back-off').toBeGreaterThanOrEqual(9_000);
      expect(await sim.submits()).toHaveLength(1);
    });

    test('poll slower than the client timeout: "did not answer within" in the card; polling continues and the task succeeds', async ({ app, sim, page, context }) => {
      const id = await submitThenPoll({ app, sim, page, context }, [{ on: 'query', times: 1, delay_ms: 4_000 }], { timeoutMs: 1_500 });
      await assertTransient({ page, sim }, id, {
        hasText: 'did not answer within',
        explained: { en: 'did not answer within', zh: '没有响应', requestId: false },
      });
    });

    // Permanent faults: polling stops; "Check again" resumes it.
    for (const status of [400, 401, 403, 404, 413]) {
      const { en, zh } = RELAY[status];
      test(`poll, HTTP ${status}: explained in the card; polling stops until "Check again", then the task succeeds`, async ({ app, sim, page, context, pageRequests }) => {
        const id = await submitThenPoll({ app, sim, page, context }, [{ on: 'query', times: 1, http: status }]);
        const alert = cardAlert(page, id, en);
        await expect(alert).toBeVisible({ timeout: 20_000 });
        await assertExplained(page, alert, { en: [en, `HTTP ${status}`], zh, maybeCreated: false, detail: relayDetail(status), requestId: true });
        const again = card(page, id).getByRole('button', { name: 'Check again', exact: true });
        await expect(again).toBeVisible();
        const polled = (await sim.queries()).length;
        expect(polled, 'one query, refused').toBe(1);
        // Every timer of the next 30 s fired (the 5 s schedule, any back-off): no query.
        await fastForward(page, pageRequests);
        expect(await sim.queries(), 'polling stopped').toHaveLength(polled);
        // Nothing is lost: the card keeps its id and settings.
        expect(await shownTaskId(page)).toBe(id);
        await again.click();
        await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
        await expect(card(page, id).getByRole('alert').filter({ hasText: en })).toHaveCount(0, { timeout: 5_000 });
        expect(await sim.queries(), 'Check again queried once more').toHaveLength(polled + 1);
        expect(await sim.submits(), 'never re-submitted').toHaveLength(1);
      });
    }

    // -------------------------------------------------------------------------------------------
    // 14. FAILED tasks
    // -------------------------------------------------------------------------------------------

    for (const [code, message, en, zh] of [
      ['InvalidParameter', 'The size is not match the model wan2.6-t2v.', 'rejected a parameter', '参数'],
      ['InvalidParameter.DataInspection', 'Download the media resource timed out during the data inspection process.', 'audio', '音频'],
    ]) {
      test(`FAILED ${code}: status Failed, the code and message, and what to do`, async ({ app, sim, page, context }) => {
        const id = await submitThenPoll({ app, sim, page, context }, [{ on: 'submit', task_fails: { code, message } }]);
        await expect(cardStatus(page, id, 'Failed')).toBeVisible({ timeout: 30_000 });
        const alert = card(page, id).getByRole('alert').first();
        await expect(alert).toBeVisible();
        await assertExplained(page, alert, { en, zh, maybeCreated: false, detail: { exact: `${code}: ${message}` }, requestId: false });
        await expect(card(page, id).locator('video'), 'no video for a failed task').toHaveCount(0);
        await expect(card(page, id).getByRole('button', { name: 'Re-run with these settings' })).toBeVisible();
      });
    }

    // -------------------------------------------------------------------------------------------
    // 18. The video URL 404s when the player loads it
    // -------------------------------------------------------------------------------------------

    test('the video URL answers 404: "The video could not be loaded" in both languages, with Re-run offered', async ({ app, sim, page, context }) => {
      const id = await submitThenPoll({ app, sim, page, context }, [{ on: 'video', http: 404, times: 0 }]);
      await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
      const alert = card(page, id).getByRole('alert').filter({ hasText: 'The video could not be loaded' }).first();
      await expect(alert).toBeVisible({ timeout: 20_000 });
      expect(await chineseTextOf(page, alert)).toMatch(/视频无法加载/);
      await expect
        .poll(async () => (await sim.requests()).some((r) => r.pathname.startsWith('/video/')), { message: 'the player asked for the video' })
        .toBe(true);
      await (await cardAction(page, id, 'Re-run with these settings')).click();
      await expect(ui.prompt(page), 'Re-run fills the form').toHaveValue(PROMPT);
      expect(await sim.submits(), 'Re-run does not submit by itself').toHaveLength(1);
    });
  });

  test.describe(() => {
    test.use({ simOptions: { pendingMs: 60_000, runningMs: 60_000 } });

    test('poll, connection refused (the endpoint went away): explained in the card; polling keeps trying, backing off', async ({ app, sim, page, context, pageRequests }) => {
      await generateWith({ app, sim, page, context });
      const id = await shownTaskId(page);
      await expect(card(page, id)).toBeVisible();
      await sim.stop();
      const alert = cardAlert(page, id, 'could not reach the endpoint');
      await expect(alert).toBeVisible({ timeout: 20_000 });
      await assertExplained(page, alert, { en: ['could not reach the endpoint', 'CORS'], zh: ['无法连接', 'CORS'], maybeCreated: false, requestId: false });
      await expect(card(page, id).getByRole('button', { name: 'Check again', exact: true }), 'no "Check again": the app carries on by itself').toHaveCount(0);
      const attempts = () => pageRequests.filter((r) => r.method === 'POST' && r.url === sim.endpoint).length;
      const afterFirst = attempts();
      const t0 = Date.now();
      await expect.poll(attempts, { message: 'another try after the refused poll', timeout: 20_000 }).toBeGreaterThan(afterFirst);
      expect(Date.now() - t0, 'the next try waits (back-off), it does not spin').toBeGreaterThanOrEqual(3_000);
      expect(await shownTaskId(page), 'the task is kept').toBe(id);
      await expect(cardStatus(page, id, 'Queued')).toBeVisible({ timeout: 1_000 });
    });
  });
});
