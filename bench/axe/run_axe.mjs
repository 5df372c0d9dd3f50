// Runs axe-core in headless Chromium over a list of pages and prints the results as JSON.
//
// Input (a JSON file named on the command line):
//   {"urls": [...], "rules": ["image-alt", ...], "allow": ["127.0.0.1:8080", "diskominfo.jambiprov.go.id:8080"],
//    "chromium": "/usr/bin/chromium"}
// Output (stdout): {"engine": {...}, "browser": "...", "args": [...], "pages": [{"url", "violations": [{"id",
//   "targets": [...]}], "incomplete": [...], "error"}], "blocked": [...]}
//
// Only the hosts in "allow" are reached: the browser maps *.go.id to 127.0.0.1 and every
// other name to NOTFOUND, and every request to a host:port not allowed is aborted before
// it leaves, so no traffic goes anywhere but the local testbed.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const allow = new Set(input.allow);
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-proxy-server', '--host-resolver-rules=MAP *.go.id 127.0.0.1, MAP * ~NOTFOUND',
];
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pantau-axe-profile-'));
const blocked = [];

const context = await chromium.launchPersistentContext(profile, {
  executablePath: input.chromium || '/usr/bin/chromium',
  headless: true,
  args,
  viewport: { width: 1280, height: 720 },
  serviceWorkers: 'block',
});
try {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    if ((url.protocol === 'http:' || url.protocol === 'https:') && allow.has(where)) {
      return route.continue();
    }
    if (url.protocol === 'data:' || url.protocol === 'about:') {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const results = [];
  for (const url of input.urls) {
    const entry = { url, violations: [], incomplete: [], error: null };
    try {
      await page.goto(url, { waitUntil: 'load', timeout: 30000 });
      // The load event does not wait for media metadata, and axe judges autoplaying audio by
      // its duration: give every <audio>/<video> with a source up to 5 s to report it.
      await page.waitForFunction(() => [...document.querySelectorAll('audio, video')]
        .every((m) => !m.currentSrc || m.readyState >= 1 || m.error), null, { timeout: 5000 })
        .catch(() => {});
      await page.evaluate(AXE_SOURCE);
      const run = await page.evaluate(async (rules) => {
        // Some rules (no-autoplay-audio, duplicate-id-aria) send every failure to manual
        // review ("incomplete"); turn that off so axe's own automated verdict is compared.
        // eslint-disable-next-line no-undef
        axe.configure({ rules: rules.map((id) => ({ id, reviewOnFail: false })) });
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, {
          runOnly: { type: 'rule', values: rules },
          resultTypes: ['violations', 'incomplete'],
          iframes: false,
        });
        const brief = (items) => items.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }));
        return { violations: brief(r.violations), incomplete: brief(r.incomplete) };
      }, input.rules);
      entry.violations = run.violations;
      entry.incomplete = run.incomplete;
    } catch (error) {
      entry.error = String(error);
    }
    results.push(entry);
  }
  const browser = context.browser();
  const engine = JSON.parse(fs.readFileSync(require.resolve('axe-core/package.json'), 'utf8'));
  process.stdout.write(JSON.stringify({
    engine: { name: 'axe-core', version: engine.version },
    browser: browser ? browser.version() : await page.evaluate(() => navigator.userAgent),
    args,
    pages: results,
    blocked,
  }));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
