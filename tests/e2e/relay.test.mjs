// Same-origin relay: the endpoint is a path on the page's own site, and the site forwards to the
// API. Tested through `trunk serve`'s proxy and through the nginx and Caddy snippets in docs/relay/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, ROOT, TEST_KEY, e2e, fillForm, openApp, ui, waitForStatus, waitForVideo, waitUntil } from './harness.mjs';

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts a server process; stops it (and removes `dir`) when the test ends. */
function run(t, cmd, args, { env, dir } = {}) {
  let output = '';
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { child, output: () => output };
}

async function waitHttp(url, proc, timeout) {
  await waitUntil(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
      try {
        return (await fetch(url)).ok;
      } catch {
        return false;
      }
    },
    { timeout, interval: 250, message: `${url} to answer` },
  );
}

/** One task through the relay path; asserts the API saw no preflight (same origin). */
async function taskThroughRelay({ page, sim }, siteUrl, endpointPath) {
  await openApp(page, { app: { url: siteUrl }, endpoint: endpointPath, key: TEST_KEY });
  await page.getByText('Mode: same-origin relay').first().waitFor();
  await fillForm(page, { prompt: 'A relay race at dusk.' });
  await ui.generate(page).click();
  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  await waitForVideo(page);
  const calls = (await sim.requests()).filter((r) => r.pathname === '/v1/responses');
  assert.ok(calls.length >= 2, 'submit and queries reached the API through the relay');
  assert.equal(calls.filter((r) => r.method === 'OPTIONS').length, 0, 'same origin: no CORS preflight');
  for (const c of calls) assert.equal(c.headers.authorization, TEST_KEY, 'the relay passes the key through');
}

e2e('trunk serve proxies a same-origin path to the API', { pendingMs: 300, runningMs: 1_000, timeout: 300_000 }, async (env, t) => {
  const port = await freePort();
  const dist = mkdtempSync(join(tmpdir(), 'wan-trunk-serve-'));
  const proc = run(
    t,
    'trunk',
    ['serve', '--release', '--offline', '--no-autoreload', '--port', String(port), '--dist', dist,
      '--proxy-backend', `${env.sim.url}/v1/`, '--proxy-rewrite', '/sim-relay/v1/'],
    { env: { TRUNK_SKIP_VERSION_CHECK: 'true', PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` }, dir: dist },
  );
  await waitHttp(`http://127.0.0.1:${port}/`, proc, 240_000);
  await taskThroughRelay(env, `http://127.0.0.1:${port}`, '/sim-relay/v1/responses');
});

e2e('the nginx snippet in docs/relay serves the app and relays the API', { pendingMs: 300, runningMs: 1_000 }, async (env, t) => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wan-nginx-'));
  const snippet = readFileSync(join(ROOT, 'docs/relay/nginx.conf'), 'utf8').replaceAll('https://www.dmxapi.cn', env.sim.url);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${DIST};
${snippet}
  }
}
`,
  );
  const proc = run(t, '/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { dir });
  await waitHttp(`http://127.0.0.1:${port}/`, proc, 15_000);
  await taskThroughRelay(env, `http://127.0.0.1:${port}`, '/dmxapi/v1/responses');
});

e2e('the Caddy snippet in docs/relay serves the app and relays the API', { pendingMs: 300, runningMs: 1_000 }, async (env, t) => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wan-caddy-'));
  const snippet = readFileSync(join(ROOT, 'docs/relay/Caddyfile'), 'utf8').replaceAll('https://www.dmxapi.cn', env.sim.url);
  writeFileSync(
    join(dir, 'Caddyfile'),
    `{
	admin off
	auto_https off
}
http://127.0.0.1:${port} {
	root * ${DIST}
${snippet}
}
`,
  );
  const proc = run(t, '/usr/bin/caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: { HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    dir,
  });
  await waitHttp(`http://127.0.0.1:${port}/`, proc, 15_000);
  await taskThroughRelay(env, `http://127.0.0.1:${port}`, '/dmxapi/v1/responses');
});
