// The one static file server of the project, on 127.0.0.1 and an ephemeral port: the e2e suite
// (dist/ and copies of it), scripts/bench.mjs and scripts/lighthouse.mjs.
//
//   const server = await startStaticServer(dir);              // tests: every reply `no-store`
//   const server = await startStaticServer(dir, { host: true }); // as a static host would
//   server.url  // http://127.0.0.1:<port>
//   server.served()  // [{ path, bytes, encoding }]: every 200 answer, bytes as sent
//   await server.close();
//
// Always: the right content types (application/wasm, application/manifest+json, …), `nosniff`, a
// directory's index.html, and index.html for an unknown path without an extension (a single-page
// app's routes); nothing outside `dir` (403). With `host: true`, like a static host with
// precompressed files: brotli -q 11 or gzip -9 as the browser asks, every body compressed before the
// first request (brotli of the wasm takes a second or two, which would otherwise count as server time
// in a measurement) and kept in memory, and a one-year `immutable` cache for Trunk's content-hashed
// files (`no-cache` for the rest, so a new build shows up at once).
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotli, gzip, walk } from './sizes.mjs';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.webmanifest', '.svg', '.txt', '.xml', '.ico']);
// Trunk's output names carry a content hash (main-<hash>.css, wan-studio-<hash>_bg.wasm): up to 16 hex
// digits, leading zeros dropped.
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.[a-z]+$/;

const isFile = (path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Which file answers `pathname` (undefined: 404), or false when it points outside `root`. */
function resolvePath(root, pathname) {
  const path = normalize(join(root, decodeURIComponent(pathname)));
  if (path !== root && !path.startsWith(root + sep)) return false;
  if (isFile(path)) return path;
  if (isFile(join(path, 'index.html'))) return join(path, 'index.html');
  // Single-page app: extension-less unknown paths get the top index.html.
  if (extname(pathname) === '' && isFile(join(root, 'index.html'))) return join(root, 'index.html');
  return undefined;
}

export async function startStaticServer(dir, { host = false } = {}) {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: build the app first (scripts/build.sh)`);
  }
  const bodies = new Map(); // `${path}\n${encoding}` → body (host mode)
  const body = (path, encoding) => {
    const key = `${path}\n${encoding}`;
    if (!bodies.has(key)) {
      const raw = readFileSync(path);
      bodies.set(key, encoding === 'br' ? brotli(raw) : encoding === 'gzip' ? gzip(raw) : raw);
    }
    return bodies.get(key);
  };
  if (host) for (const f of walk(root)) if (COMPRESSIBLE.has(extname(f))) for (const enc of ['br', 'gzip']) body(f, enc);

  const served = []; // { path, bytes, encoding } of every 200 answer, in order
  const server = createServer((req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      const path = resolvePath(root, pathname);
      if (path === false) return res.writeHead(403).end();
      if (path === undefined) return res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      const ext = extname(path);
      const accepts = req.headers['accept-encoding'] ?? '';
      const encoding = !host || !COMPRESSIBLE.has(ext) ? 'identity' : /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : 'identity';
      const data = host ? body(path, encoding) : readFileSync(path);
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
        'Content-Length': data.length,
        ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
        ...(host
          ? { Vary: 'Accept-Encoding', 'Cache-Control': HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache' }
          : { 'Cache-Control': 'no-store' }),
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : data);
      served.push({ path: pathname, bytes: req.method === 'HEAD' ? 0 : data.length, encoding });
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir: root,
    /** What this server has sent (bodies as sent, compressed or not), since the start or the last clear. */
    served: () => [...served],
    clearServed: () => void served.splice(0),
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
