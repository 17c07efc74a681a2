// Playwright Test fixtures of the end-to-end suite (configured in playwright.config.mjs):
//
//   app          the release build (dist/) on a static server, one per worker (it is stateless)
//   sim          a fresh DMXAPI simulator per test; its timing per file or describe block with
//                test.use({ simOptions: { pendingMs, runningMs } })
//   otherSim     a second simulator on another origin (a host that wants the key)
//   page/context Playwright's fresh context per test (Debian's Chromium, en-US, Asia/Shanghai,
//                1280×900); any uncaught page error in any page fails the test
//   pageErrors, consoleErrors, pageRequests   what the pages threw, logged as errors, and requested
//   newContext   another fresh browser profile with the same settings ("someone else's browser")
//   tempSite     a copy of dist/ (optionally under a sub-path, with extra files) on its own server
//
// On failure Playwright keeps the trace and a screenshot (tests/e2e/artifacts/results); the page's
// console errors and the simulator's log are attached to the report.
import { test as base, expect } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DIST } from '../../scripts/lib/paths.mjs';
import { startSim } from '../../scripts/lib/sim.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';

export { expect };

/** Records a context's pages' uncaught errors, console errors and requests into the given lists. */
function watch(context, { pageErrors, consoleErrors, pageRequests }) {
  // A request is `done` once answered or failed, or once its page is closed (a closed page's calls
  // end unreported).
  const byRequest = new Map();
  const onPage = (page) => {
    page.on('pageerror', (err) => pageErrors.push(err));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('dialog', (d) => d.accept().catch(() => {}));
    page.on('close', () => {
      for (const entry of byRequest.values()) if (entry.page === page) entry.done = true;
    });
  };
  context.pages().forEach(onPage);
  context.on('page', onPage);
  context.on('request', (req) => {
    let page;
    try {
      page = req.frame().page();
    } catch {} // a service worker's request has no frame
    const entry = { method: req.method(), url: req.url(), resourceType: req.resourceType(), done: !!page?.isClosed() };
    Object.defineProperty(entry, 'page', { value: page }); // kept out of printed values
    byRequest.set(req, entry);
    pageRequests.push(entry);
  });
  const done = (req) => {
    const entry = byRequest.get(req);
    if (entry) entry.done = true;
  };
  context.on('requestfinished', done);
  context.on('requestfailed', done);
}

export const test = base.extend({
  // --- the app and the simulator ---------------------------------------------------------------
  app: [
    async ({}, use) => {
      const server = await startStaticServer(DIST);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  simOptions: [{}, { option: true }],

  sim: async ({ simOptions }, use, testInfo) => {
    const sim = await startSim(simOptions);
    await use(sim);
    await sim.stop();
    if (testInfo.status !== testInfo.expectedStatus && sim.output()) {
      await testInfo.attach('simulator output', { body: sim.output(), contentType: 'text/plain' });
    }
  },

  /** A second simulator on another origin: a host that would like the key. It must stay silent. */
  otherSim: async ({}, use) => {
    const sim = await startSim();
    await use(sim);
    await sim.stop();
  },

  // --- what the pages do -------------------------------------------------------------------------
  pageErrors: async ({}, use) => {
    const errors = [];
    await use(errors);
    if (errors.length) {
      throw new Error(`uncaught page error(s):\n${errors.map((e) => e.stack ?? String(e)).join('\n')}`);
    }
  },
  consoleErrors: async ({}, use, testInfo) => {
    const errors = [];
    await use(errors);
    if (testInfo.status !== testInfo.expectedStatus && errors.length) {
      await testInfo.attach('page console errors', { body: errors.join('\n'), contentType: 'text/plain' });
    }
  },
  pageRequests: async ({}, use) => {
    await use([]);
  },

  context: async ({ context, pageErrors, consoleErrors, pageRequests }, use) => {
    watch(context, { pageErrors, consoleErrors, pageRequests });
    await use(context);
  },

  /** Another fresh profile with the suite's settings, watched like the test's own; closed after the test. */
  newContext: async ({ browser, contextOptions, viewport, locale, timezoneId, acceptDownloads, pageErrors, consoleErrors, pageRequests }, use) => {
    const contexts = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ ...contextOptions, viewport, locale, timezoneId, acceptDownloads, ...options });
      contexts.push(context);
      watch(context, { pageErrors, consoleErrors, pageRequests });
      return context;
    });
    for (const c of contexts) await c.close();
  },

  /**
   * Serves a copy of dist/ (under `subPath` when given) with `files` ({ relative path: text })
   * written into the site; removed after the test. Resolves to the server ({ url, dir, close }).
   */
  tempSite: async ({}, use) => {
    const sites = [];
    await use(async ({ subPath = '', files = {} } = {}) => {
      const root = mkdtempSync(join(tmpdir(), 'wan-site-'));
      const site = { root, server: undefined };
      sites.push(site);
      cpSync(DIST, join(root, subPath), { recursive: true });
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      site.server = await startStaticServer(root);
      return { ...site.server, root };
    });
    for (const { root, server } of sites) {
      await server?.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
});
