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
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { TEST_KEY, chineseTextOf, e2e, eventually, fillForm, holdsFor, openApp, shownTaskId, ui, waitForVideo, waitUntil } from './harness.mjs';

const PROMPT = 'A red kite climbing over green hills on a windy afternoon, aerial shot.';
/** The app's test hook replacing both client time limits (ms). */
const TIMEOUT_HOOK = 'wan-studio.debug.timeout-ms';
/** A quick task: finished long before the first poll (5 s after the submit). */
const QUICK = { pendingMs: 300, runningMs: 700 };

const form = (page) => ui.section(page, 'New video');
const card = (page, id) => ui.task(page).getByRole('article', { name: `Task ${id}` });
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

/** What a relay error's detail line says: `HTTP 403 · <code>: <message> (request id: …)`. */
const relayDetail = (status) => {
  const { code, message } = RELAY[status];
  return code ? `HTTP ${status} · ${code}: ${message} (request id: ` : `HTTP ${status}: ${message} (request id: `;
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * Queues `faults`, opens the app (optionally with the client time limits shortened to
 * `timeoutMs`), configures key + simulator endpoint, and presses Generate once.
 */
async function generateWith({ app, sim, page, context }, { faults = [], timeoutMs } = {}) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
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
  for (const w of ens) assert.ok(text.includes(w), `English "${w}" in the alert:\n${text}`);
  assert.equal(text.includes('may have been created'), maybeCreated, `"may have been created" iff ${maybeCreated}:\n${text}`);
  // The same alert after switching the page to Chinese.
  const zhText = await chineseTextOf(page, alert);
  for (const w of zhs) assert.ok(zhText.includes(w), `Chinese "${w}" in the alert:\n${zhText}`);
  // The server's own words (in <code>) stay as they were sent.
  let zhProse = zhText;
  for (const c of await alert.locator('code').allInnerTexts()) zhProse = zhProse.replace(c, '');
  for (const w of ens.filter((w) => /^[a-z ]+$/i.test(w) && !/HTTP|CORS|API/.test(w))) {
    assert.ok(!zhProse.includes(w), `no English "${w}" left in Chinese:\n${zhText}`);
  }
  assert.equal(zhText.includes('可能已创建'), maybeCreated, `"可能已创建" iff ${maybeCreated}:\n${zhText}`);

  const codes = alert.locator('code');
  let detailText;
  if (detail === null) {
    // Only the request id may be in a <code>.
    const all = await codes.allInnerTexts();
    assert.ok(all.length <= (requestId ? 1 : 0), `no server detail expected, found <code>s: ${JSON.stringify(all)}`);
  } else if (detail !== undefined) {
    detailText = await codes.first().innerText();
    if (typeof detail === 'string') {
      assert.ok(detailText.startsWith(detail), `detail starts with ${JSON.stringify(detail)}; got ${JSON.stringify(detailText)}`);
    } else {
      assert.equal(detailText, detail.exact, 'the detail');
    }
    assert.ok(text.indexOf(ens[0]) < text.lastIndexOf(detailText), `the detail comes after the explanation:\n${text}`);
  }

  const copy = alert.getByRole('button', { name: 'Copy request id', exact: true });
  if (!requestId) {
    assert.ok(!/Request id/.test(text), `no request id line expected:\n${text}`);
    assert.equal(await copy.count(), 0, 'no "Copy request id" button');
    return undefined;
  }
  const id = text.match(/Request id:\s*(\S+)/)?.[1];
  assert.ok(id, `a "Request id: <id>" line:\n${text}`);
  if (detailText?.includes('(request id: ')) {
    assert.ok(detailText.includes(`(request id: ${id})`), `the shown id ${id} is the one in the relay's message: ${detailText}`);
  }
  await copy.click();
  await alert.getByRole('button', { name: 'Copied', exact: true }).waitFor({ timeout: 5_000 });
  await eventually(() => page.evaluate(() => navigator.clipboard.readText()), id, 'the clipboard holds the request id');
  return id;
}

/** After a failed submit: exactly one submit reached the simulator, and it stays one. */
async function assertSentOnce(sim, { during = 2_000 } = {}) {
  assert.equal((await sim.submits()).length, 1, 'exactly one submit reached the simulator');
  await holdsFor(async () => (await sim.submits()).length === 1, {
    during,
    message: 'the submit is never re-sent automatically',
  });
}

/** After a failed submit: the form is usable again and nothing typed is lost. */
async function assertFormIntact(page) {
  await eventually(() => ui.generate(page).isEnabled(), true, 'Generate is usable again');
  assert.equal(await ui.prompt(page).inputValue(), PROMPT, 'the prompt is kept');
  assert.equal(await ui.apiKey(page).inputValue(), TEST_KEY, 'the key is kept');
}

/** After a failed submit: either no card at all, or exactly one "May have been created" card. */
async function assertCards(page, sim, maybeCreated) {
  if (maybeCreated) {
    await unconfirmedCards(page).first().waitFor();
    assert.equal(await ui.cards(page).count(), 1, 'one card: "May have been created"');
    assert.equal(await unconfirmedCards(page).count(), 1);
  } else {
    assert.equal(await ui.cards(page).count(), 0, 'no task card after a refused submit');
  }
  assert.equal((await sim.queries()).length, 0, 'nothing polled: there is no task id');
}

const formAlert = (page, hasText) => form(page).getByRole('alert').filter({ hasText }).first();
const cardAlert = (page, id, hasText) => card(page, id).getByRole('alert').filter({ hasText }).first();
const cardStatus = (page, id, word) => card(page, id).getByRole('status').filter({ hasText: word }).first();

// Most of these tests wait on the app's 5-second poll schedule, idle: run a few at once (each still
// has its own simulator and browser profile).
describe('faults', { concurrency: 3 }, () => {
  // ---------------------------------------------------------------------------------------------
  // 1–11. HTTP errors on submit
  // ---------------------------------------------------------------------------------------------

  // [label, fault, status (for the expected words), may the task exist?, how long to watch for a re-send]
  const SUBMIT_HTTP = [
    ['400', { http: 400 }, 400, false],
    ['403', { http: 403 }, 403, false],
    ['404', { http: 404 }, 404, false],
    ['413', { http: 413 }, 413, false],
    ['429 without Retry-After', { http: 429 }, 429, false],
    // Retry-After must not turn into an automatic re-send: watch past it.
    ['429 with Retry-After', { http: 429, retry_after: 1 }, 429, false, 3_000],
    ['500', { http: 500 }, 500, true],
    ['503', { http: 503 }, 503, false],
    ['504', { http: 504 }, 504, true],
    ['524', { http: 524 }, 524, true],
  ];

  for (const [label, fault, status, maybeCreated, during] of SUBMIT_HTTP) {
    const what = maybeCreated ? 'the task may exist: kept as "May have been created"' : 'no task';
    e2e(`submit, HTTP ${label}: bilingual cause and next step, relay detail, copyable request id; ${what}; never re-sent`, {}, async (env) => {
      const { page, sim } = env;
      await generateWith(env, { faults: [{ on: 'submit', ...fault }] });
      const { en, zh } = RELAY[status];
      const alert = formAlert(page, en);
      await alert.waitFor();
      await assertExplained(page, alert, { en: [en, `HTTP ${status}`], zh, maybeCreated, detail: relayDetail(status), requestId: true });
      await assertSentOnce(sim, { during });
      await assertCards(page, sim, maybeCreated);
      await assertFormIntact(page);
    });
  }

  // 11. A non-JSON body (an HTML error page) with status 502.
  e2e('submit, HTTP 502 with an HTML page: "upstream" explained without the markup; the task may exist; never re-sent', {}, async (env) => {
    const { page, sim } = env;
    await generateWith(env, { faults: [{ on: 'submit', raw: { status: 502, content_type: 'text/html', body: HTML_502 } }] });
    const alert = formAlert(page, 'upstream');
    await alert.waitFor();
    await assertExplained(page, alert, { en: ['upstream', 'HTTP 502'], zh: '上游', maybeCreated: true, detail: { exact: 'HTTP 502' }, requestId: false });
    const text = await alert.innerText();
    assert.ok(!/<html|<h1|nginx/i.test(text), `the HTML page itself is not dumped into the message:\n${text}`);
    await assertSentOnce(sim);
    await assertCards(page, sim, true);
    await assertFormIntact(page);
  });

  // A failing submit must not cost what is already stored: an earlier finished task stays intact.
  e2e('submit, HTTP 524 after a finished task: the earlier task and its video are kept beside the new "May have been created" card', QUICK, async (env) => {
    const { page, sim } = env;
    await generateWith(env);
    const first = await shownTaskId(page);
    await cardStatus(page, first, 'Succeeded').waitFor({ timeout: 30_000 });
    await waitForVideo(page);

    await sim.fault({ on: 'submit', http: 524 });
    await fillForm(page, { prompt: `${PROMPT} Again.` });
    await ui.generate(page).click();
    await formAlert(page, 'may have been created').waitFor();
    await unconfirmedCards(page).first().waitFor();
    assert.equal(await ui.cards(page).count(), 2, 'the finished task and the uncertain one');
    await cardStatus(page, first, 'Succeeded').waitFor({ timeout: 1_000 });
    assert.equal(await card(page, first).locator('video').count(), 1, 'the finished task keeps its video');
    assert.equal((await sim.submits()).length, 2, 'one submit per click');
    await holdsFor(async () => (await sim.submits()).length === 2, { during: 2_000, message: 'the failed submit is not re-sent' });
  });

  // ---------------------------------------------------------------------------------------------
  // 12–13. Replies that are not a task
  // ---------------------------------------------------------------------------------------------

  e2e('submit, 200 envelope with an empty output: "not a DMXAPI reply", with its request id; never re-sent', {}, async (env) => {
    const { page, sim } = env;
    await generateWith(env, { faults: [{ on: 'submit', empty_output: true }] });
    const alert = formAlert(page, 'not a DMXAPI reply');
    await alert.waitFor();
    const maybeCreated = (await alert.innerText()).includes('may have been created');
    // The envelope carries a request_id: users quote it to support.
    await assertExplained(page, alert, { en: 'not a DMXAPI reply', zh: 'DMXAPI', maybeCreated, requestId: true });
    await assertSentOnce(sim);
    await assertCards(page, sim, maybeCreated);
    await assertFormIntact(page);
  });

  e2e('submit, 200 envelope whose text is not JSON: "a message instead of a task", the text in <code>, request id; never re-sent', {}, async (env) => {
    const { page, sim } = env;
    await generateWith(env, { faults: [{ on: 'submit', text: PLAIN_TEXT }] });
    const alert = formAlert(page, 'answered with a message instead of a task');
    await alert.waitFor();
    const maybeCreated = (await alert.innerText()).includes('may have been created');
    await assertExplained(page, alert, {
      en: 'answered with a message instead of a task',
      zh: '返回了一条消息',
      maybeCreated,
      detail: { exact: PLAIN_TEXT },
      requestId: true,
    });
    await assertSentOnce(sim);
    await assertCards(page, sim, maybeCreated);
    await assertFormIntact(page);
  });

  // ---------------------------------------------------------------------------------------------
  // 16. CORS refused
  // ---------------------------------------------------------------------------------------------

  e2e('submit, CORS preflight refused: "could not reach the endpoint … CORS", the task may exist, nothing re-sent', {}, async (env) => {
    const { page, sim } = env;
    await generateWith(env, { faults: [{ on: 'preflight', cors: false }] });
    const alert = formAlert(page, 'could not reach the endpoint');
    await alert.waitFor({ timeout: 20_000 });
    await assertExplained(page, alert, {
      en: ['could not reach the endpoint (offline, blocked, or CORS)'],
      zh: ['无法连接', 'CORS'],
      maybeCreated: true,
      requestId: false,
    });
    const attempts = async () => (await sim.apiCalls()).length;
    const preflights = (await sim.apiCalls()).filter((r) => r.method === 'OPTIONS');
    assert.equal(preflights.length, 1, 'one preflight, refused');
    assert.equal((await sim.submits()).length, 0, 'the browser never sent the POST');
    await holdsFor(async () => (await attempts()) === 1, { during: 2_000, message: 'nothing is tried again' });
    await assertCards(page, sim, true);
    await assertFormIntact(page);
  });

  e2e('submit, reply without CORS headers (the task was created but is unreadable): "may have been created", never re-sent', {}, async (env) => {
    const { page, sim } = env;
    await generateWith(env, { faults: [{ on: 'submit', cors: false }] });
    const alert = formAlert(page, 'could not reach the endpoint');
    await alert.waitFor({ timeout: 20_000 });
    await assertExplained(page, alert, { en: ['could not reach the endpoint', 'CORS'], zh: ['无法连接', 'CORS'], maybeCreated: true, requestId: false });
    await assertSentOnce(sim);
    await assertCards(page, sim, true);
    await assertFormIntact(page);
  });

  // ---------------------------------------------------------------------------------------------
  // 17. Slower than the client's time limit
  // ---------------------------------------------------------------------------------------------

  e2e('submit slower than the client timeout: "did not answer within", the task may exist, never re-sent', {}, async (env) => {
    const { page, sim } = env;
    await generateWith(env, { timeoutMs: 1_500, faults: [{ on: 'submit', delay_ms: 5_000 }] });
    const alert = formAlert(page, 'did not answer within');
    await alert.waitFor({ timeout: 10_000 });
    await assertExplained(page, alert, { en: 'did not answer within', zh: '没有响应', maybeCreated: true, requestId: false });
    await assertSentOnce(sim, { during: 2_000 });
    await assertCards(page, sim, true);
    await assertFormIntact(page);
  });

  // ---------------------------------------------------------------------------------------------
  // Faults while polling. The first poll comes 5 s after the submit; the faults below hit it.
  // ---------------------------------------------------------------------------------------------

  /** Submits normally (faults aimed at queries queued first); returns the task id. */
  async function submitThenPoll(env, faults, opts = {}) {
    await generateWith(env, { faults, ...opts });
    const id = await shownTaskId(env.page);
    await card(env.page, id).waitFor();
    return id;
  }

  /** A transient fault: explained in the card, then polling continues and the task succeeds. */
  async function assertTransient(env, id, { hasText, explained, polls = 2 }) {
    const { page, sim } = env;
    const alert = cardAlert(page, id, hasText);
    await alert.waitFor({ timeout: 20_000 });
    await assertExplained(page, alert, { maybeCreated: false, ...explained });
    assert.equal(await card(page, id).getByRole('button', { name: 'Check again', exact: true }).count(), 0, 'no "Check again": the app carries on by itself');
    await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 60_000 });
    await card(page, id).getByRole('alert').filter({ hasText }).waitFor({ state: 'detached', timeout: 5_000 });
    const queries = await sim.queries();
    assert.ok(queries.length >= polls, `polled again after the fault (${queries.length} queries)`);
    for (const q of queries) assert.equal(q.json.input, id, 'every query asks for this task');
    assert.equal((await sim.submits()).length, 1, 'a fault while polling never re-submits');
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

  for (const [label, fault, expect] of QUERY_TRANSIENT) {
    e2e(`poll, ${label}: explained in the card; polling continues and the task succeeds`, QUICK, async (env) => {
      const id = await submitThenPoll(env, [{ on: 'query', times: 1, ...fault }]);
      await assertTransient(env, id, expect);
    });
  }

  e2e('poll, HTTP 503 twice: explained in the card; polling backs off (5 s, then 10 s) and the task succeeds', QUICK, async (env) => {
    const id = await submitThenPoll(env, [{ on: 'query', times: 2, http: 503 }]);
    const queries = await assertTransient(env, id, {
      hasText: 'unavailable',
      explained: { en: ['unavailable', 'HTTP 503'], zh: '不可用', detail: relayDetail(503), requestId: true },
      polls: 3,
    });
    const [a, b, c] = queries.map((q) => q.at_ms);
    assert.ok(b - a >= 4_500, `after the first failure the next poll waits ~5 s (waited ${b - a} ms)`);
    assert.ok(c - b >= 9_500, `after the second failure in a row it waits ~10 s (waited ${c - b} ms)`);
  });

  e2e('poll, HTTP 429 without Retry-After: explained in the card; polling backs off well past 5 s, then continues', QUICK, async (env) => {
    const { page, sim } = env;
    const id = await submitThenPoll(env, [{ on: 'query', times: 1, http: 429 }]);
    const alert = cardAlert(page, id, 'rate limiting');
    await alert.waitFor({ timeout: 20_000 });
    await assertExplained(page, alert, { en: ['rate limiting', 'HTTP 429'], zh: '限流', maybeCreated: false, detail: relayDetail(429), requestId: true });
    assert.equal(await card(page, id).getByRole('button', { name: 'Check again', exact: true }).count(), 0, 'no "Check again" for a rate limit');
    const polled = (await sim.queries()).length;
    // Normal polling would come back after 5 s; a rate limit makes it wait longer.
    await holdsFor(async () => (await sim.queries()).length === polled, { during: 9_000, message: 'backing off after a 429' });
    await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 60_000 });
    await card(page, id).getByRole('alert').filter({ hasText: 'rate limiting' }).waitFor({ state: 'detached', timeout: 5_000 });
    const queries = await sim.queries();
    assert.ok(queries[1].at_ms - queries[0].at_ms >= 9_000, 'the retry came after the back-off');
    assert.equal((await sim.submits()).length, 1);
  });

  e2e('poll slower than the client timeout: "did not answer within" in the card; polling continues and the task succeeds', QUICK, async (env) => {
    const id = await submitThenPoll(env, [{ on: 'query', times: 1, delay_ms: 4_000 }], { timeoutMs: 1_500 });
    await assertTransient(env, id, {
      hasText: 'did not answer within',
      explained: { en: 'did not answer within', zh: '没有响应', requestId: false },
    });
  });

  e2e('poll, connection refused (the endpoint went away): explained in the card; polling keeps trying, backing off', { pendingMs: 60_000, runningMs: 60_000 }, async (env) => {
    const { page, sim, pageRequests } = env;
    const id = await submitThenPoll(env, []);
    await sim.stop();
    const alert = cardAlert(page, id, 'could not reach the endpoint');
    await alert.waitFor({ timeout: 20_000 });
    await assertExplained(page, alert, { en: ['could not reach the endpoint', 'CORS'], zh: ['无法连接', 'CORS'], maybeCreated: false, requestId: false });
    assert.equal(await card(page, id).getByRole('button', { name: 'Check again', exact: true }).count(), 0, 'no "Check again": the app carries on by itself');
    const attempts = () => pageRequests.filter((r) => r.method === 'POST' && r.url === sim.endpoint).length;
    const afterFirst = attempts();
    const t0 = Date.now();
    await waitUntil(() => attempts() > afterFirst, { timeout: 20_000, message: 'another try after the refused poll' });
    assert.ok(Date.now() - t0 >= 3_000, 'the next try waits (back-off), it does not spin');
    assert.equal(await shownTaskId(page), id, 'the task is kept');
    await cardStatus(page, id, 'Queued').waitFor({ timeout: 1_000 });
  });

  // Permanent faults: polling stops; "Check again" resumes it.
  for (const status of [400, 401, 403, 404, 413]) {
    const { en, zh } = RELAY[status];
    e2e(`poll, HTTP ${status}: explained in the card; polling stops until "Check again", then the task succeeds`, QUICK, async (env) => {
      const { page, sim } = env;
      const id = await submitThenPoll(env, [{ on: 'query', times: 1, http: status }]);
      const alert = cardAlert(page, id, en);
      await alert.waitFor({ timeout: 20_000 });
      await assertExplained(page, alert, { en: [en, `HTTP ${status}`], zh, maybeCreated: false, detail: relayDetail(status), requestId: true });
      const again = card(page, id).getByRole('button', { name: 'Check again', exact: true });
      await again.waitFor();
      const polled = (await sim.queries()).length;
      assert.equal(polled, 1, 'one query, refused');
      await holdsFor(async () => (await sim.queries()).length === polled, { during: 6_000, message: 'polling stopped' });
      // Nothing is lost: the card keeps its id and settings.
      assert.equal(await shownTaskId(page), id);
      await again.click();
      await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 30_000 });
      await card(page, id).getByRole('alert').filter({ hasText: en }).waitFor({ state: 'detached', timeout: 5_000 });
      assert.equal((await sim.queries()).length, polled + 1, 'Check again queried once more');
      assert.equal((await sim.submits()).length, 1, 'never re-submitted');
    });
  }

  // ---------------------------------------------------------------------------------------------
  // 14. FAILED tasks
  // ---------------------------------------------------------------------------------------------

  for (const [code, message, en, zh] of [
    ['InvalidParameter', 'The size is not match the model wan2.6-t2v.', 'rejected a parameter', '参数'],
    ['InvalidParameter.DataInspection', 'Download the media resource timed out during the data inspection process.', 'audio', '音频'],
  ]) {
    e2e(`FAILED ${code}: status Failed, the code and message, and what to do`, QUICK, async (env) => {
      const { page } = env;
      const id = await submitThenPoll(env, [{ on: 'submit', task_fails: { code, message } }]);
      await cardStatus(page, id, 'Failed').waitFor({ timeout: 30_000 });
      const alert = card(page, id).getByRole('alert').first();
      await alert.waitFor();
      await assertExplained(page, alert, { en, zh, maybeCreated: false, detail: { exact: `${code}: ${message}` }, requestId: false });
      assert.equal(await card(page, id).locator('video').count(), 0, 'no video for a failed task');
      await card(page, id).getByRole('button', { name: 'Re-run with these settings' }).waitFor();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // 18. The video URL 404s when the player loads it
  // ---------------------------------------------------------------------------------------------

  e2e('the video URL answers 404: "The video could not be loaded" in both languages, with Re-run offered', QUICK, async (env) => {
    const { page, sim } = env;
    const id = await submitThenPoll(env, [{ on: 'video', http: 404, times: 0 }]);
    await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 30_000 });
    const alert = card(page, id).getByRole('alert').filter({ hasText: 'The video could not be loaded' }).first();
    await alert.waitFor({ timeout: 20_000 });
    assert.match(await chineseTextOf(page, alert), /视频无法加载/);
    await waitUntil(async () => (await sim.requests()).some((r) => r.pathname.startsWith('/video/')), { message: 'the player asked for the video' });
    await card(page, id).getByRole('button', { name: 'Re-run with these settings' }).click();
    assert.equal(await ui.prompt(page).inputValue(), PROMPT, 'Re-run fills the form');
    assert.equal((await sim.submits()).length, 1, 'Re-run does not submit by itself');
  });
});
