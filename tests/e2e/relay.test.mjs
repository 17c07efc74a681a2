// Same-origin relay: the endpoint is a path on the page's own site, and the site forwards to the
// API. Tested through `trunk serve`'s proxy and through the nginx and Caddy snippets in docs/relay/.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base } from './fixtures.mjs';
import { DIST, ROOT, TEST_KEY, fillForm, openApp, ui, waitForStatus, waitForVideo } from './ui.mjs';

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const test = base.extend({
  /**
   * Starts a server process (`run(cmd, args, { env, dir })`); stops it and removes `dir` after the
   * test. Its output is attached to the report when the test fails.
   */
  run: async ({}, use, testInfo) => {
    const procs = [];
    await use((cmd, args, { env, dir } = {}) => {
      let output = '';
      const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const proc = { cmd, child, dir, output: () => output };
      procs.push(proc);
      return proc;
    });
    for (const { cmd, child, dir, output } of procs) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach(`${cmd} output`, { body: output(), contentType: 'text/plain' });
    }
  },
});

/**
 * Waits (bounded) until `url` answers 200; fails as soon as the server process has exited. The last
 * answer or network error is in the failure message, and `log` (a server's log file), when given.
 */
async function waitHttp(url, proc, timeout, log) {
  let last = 'nothing yet';
  const state = async () => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return 'exited';
    try {
      const res = await fetch(url);
      last = `HTTP ${res.status}`;
      return res.ok ? 'answers' : 'waiting';
    } catch (e) {
      last = String(e.cause ?? e);
      return 'waiting';
    }
  };
  const why = () => {
    let text = '';
    try {
      text = log ? readFileSync(log, 'utf8') : '';
    } catch {}
    return `${url} to answer (last: ${last})\n${proc.output()}${text}`;
  };
  await expect.poll(state, { message: `${url} to answer`, timeout, intervals: [250] }).not.toBe('waiting').catch((e) => {
    throw new Error(`${why()}\n${e.message}`);
  });
  expect(await state(), `${proc.cmd} exited:\n${why()}`).toBe('answers');
}

/** One task through the relay path; asserts the API saw no preflight (same origin). */
async function taskThroughRelay({ page, sim }, siteUrl, endpointPath) {
  await openApp(page, { app: { url: siteUrl }, endpoint: endpointPath, key: TEST_KEY });
  await expect(page.getByText('Mode: same-origin relay').first()).toBeVisible();
  await fillForm(page, { prompt: 'A relay race at dusk.' });
  await ui.generate(page).click();
  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  await waitForVideo(page);
  const calls = (await sim.requests()).filter((r) => r.pathname === '/v1/responses');
  expect(calls.length, 'submit and queries reached the API through the relay').toBeGreaterThanOrEqual(2);
  expect(calls.filter((r) => r.method === 'OPTIONS'), 'same origin: no CORS preflight').toHaveLength(0);
  for (const c of calls) expect(c.headers.authorization, 'the relay passes the key through').toBe(TEST_KEY);
}

test.use({ simOptions: { pendingMs: 300, runningMs: 1_000 } });

test('trunk serve proxies a same-origin path to the API', async ({ page, sim, run }) => {
  test.setTimeout(300_000);
  const port = await freePort();
  const dist = mkdtempSync(join(tmpdir(), 'wan-trunk-serve-'));
  const proc = run(
    'trunk',
    ['serve', '--release', '--offline', '--no-autoreload', '--port', String(port), '--dist', dist,
      '--proxy-backend', `${sim.url}/v1/`, '--proxy-rewrite', '/sim-relay/v1/'],
    { env: { TRUNK_SKIP_VERSION_CHECK: 'true', PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` }, dir: dist },
  );
  await waitHttp(`http://127.0.0.1:${port}/`, proc, 240_000);
  await taskThroughRelay({ page, sim }, `http://127.0.0.1:${port}`, '/sim-relay/v1/responses');
});

/**
 * Serves dist/ with a real web server configured by its snippet in docs/relay/ (the upstream
 * pointed at the simulator) and runs one task through the relay path the snippet sets up.
 */
async function throughSnippet({ page, sim, run }, { snippetFile, configFile, config, cmd, args, env = () => ({}) }) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `wan-relay-${cmd.split('/').pop()}-`));
  const snippet = readFileSync(join(ROOT, 'docs/relay', snippetFile), 'utf8').replaceAll('https://www.dmxapi.cn', sim.url);
  // A copy of dist/ in a directory anyone can read: a server started as root serves files as an
  // unprivileged user (nginx: nobody), who cannot enter a private checkout such as CI's mktemp clone.
  const site = join(dir, 'site');
  cpSync(DIST, site, { recursive: true });
  chmodSync(dir, 0o755);
  const configPath = join(dir, configFile);
  writeFileSync(configPath, config({ dir, port, snippet, site }));
  const proc = run(cmd, args(configPath, dir), { env: env(dir), dir });
  await waitHttp(`http://127.0.0.1:${port}/`, proc, 30_000, join(dir, 'error.log'));
  await taskThroughRelay({ page, sim }, `http://127.0.0.1:${port}`, '/dmxapi/v1/responses');
}

test('the nginx snippet in docs/relay serves the app and relays the API', async ({ page, sim, run }) => {
  await throughSnippet({ page, sim, run }, {
    snippetFile: 'nginx.conf',
    configFile: 'nginx.conf',
    config: ({ dir, port, snippet, site }) => `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${site};
${snippet}
  }
}
`,
    cmd: '/usr/sbin/nginx',
    args: (configPath, dir) => ['-c', configPath, '-p', dir],
  });
});

test('the Caddy snippet in docs/relay serves the app and relays the API', async ({ page, sim, run }) => {
  await throughSnippet({ page, sim, run }, {
    snippetFile: 'Caddyfile',
    configFile: 'Caddyfile',
    config: ({ port, snippet, site }) => `{
	admin off
	auto_https off
}
http://127.0.0.1:${port} {
	root * ${site}
${snippet}
}
`,
    cmd: '/usr/bin/caddy',
    args: (configPath) => ['run', '--config', configPath, '--adapter', 'caddyfile'],
    env: (dir) => ({ HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir }),
  });
});
