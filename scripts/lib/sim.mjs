// Runs the DMXAPI simulator (target/release/dmxapi-sim, tests/simulator) on 127.0.0.1 and a free port,
// and talks to its control API (tests/simulator/README.md). Used by the e2e suite's `sim` fixture and
// by scripts/bench.mjs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { SIM_BIN } from './paths.mjs';

/** A key in the documented shape (sk- + 48 alphanumerics); only ever sent to the local simulator. */
export const TEST_KEY = 'sk-e2eTestKey0123456789abcdefghijklmnopqrstuvwxyzAB';

// Every simulator this process started is killed when it exits, even after a crash.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
});

/**
 * Starts a simulator: tasks are PENDING for `pendingMs`, then RUNNING for `runningMs`. Resolves once
 * it has announced its address; `stop()` ends it.
 */
export async function startSim({ pendingMs = 1_500, runningMs = 6_000, port = 0, extraArgs = [] } = {}) {
  if (!existsSync(SIM_BIN)) {
    throw new Error(`${SIM_BIN} is missing: build it first (cargo build --release -p dmxapi-sim)`);
  }
  const child = spawn(
    SIM_BIN,
    ['--port', String(port), '--quiet', '--pending-ms', String(pendingMs), '--running-ms', String(runningMs), ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  child.on('exit', () => live.delete(child));
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
  const url = await new Promise((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      reject(new Error(`dmxapi-sim did not announce its address within 15 s; output:\n${stdout}${output}`));
    }, 15_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const m = stdout.match(/dmxapi-sim listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`dmxapi-sim exited early (${code ?? signal}); output:\n${stdout}${output}`));
    });
  });
  // Keep draining stdout so the simulator never blocks on a full pipe.
  child.stdout.removeAllListeners('data');
  child.stdout.on('data', (d) => (output += d));

  const control = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path} -> HTTP ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const isApi = (r) => r.method === 'POST' && r.pathname === '/v1/responses';

  const sim = {
    url,
    endpoint: `${url}/v1/responses`,
    output: () => output,
    /** Every request the simulator recorded, in arrival order; `json` is the parsed body when it is JSON. */
    async requests() {
      const list = await control('GET', '/__sim/requests');
      return list.map((r) => {
        let json;
        if (r.body !== null && typeof r.body === 'object') json = r.body;
        else if (typeof r.body === 'string' && r.body.length) {
          try {
            json = JSON.parse(r.body);
          } catch {}
        }
        return { ...r, pathname: String(r.path).split('?')[0], json };
      });
    },
    /** Any call to the API endpoint, whatever its method (preflights included). */
    async apiCalls() {
      return (await sim.requests()).filter((r) => r.pathname === '/v1/responses');
    },
    /** Every submit, of any model (a request whose model is not a `*-get`). */
    async submits() {
      return (await sim.requests()).filter((r) => isApi(r) && typeof r.json?.model === 'string' && !/-get$/.test(r.json.model));
    },
    async queries() {
      return (await sim.requests()).filter((r) => isApi(r) && /-get$/.test(r.json?.model ?? ''));
    },
    fault: (f) => control('POST', '/__sim/faults', f),
    clock: (c) => control('POST', '/__sim/clock', c),
    reset: () => control('POST', '/__sim/reset'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(t);
    },
  };
  return sim;
}
