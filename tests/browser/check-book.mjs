// Checks every HTML page of the built book in headless Chromium:
//
//   node tests/browser/check-book.mjs [BOOK_DIR]      # default: book/ at the repository's root
//   node tests/browser/check-book.mjs --self-test     # the planted breakages in fixtures/ are each caught
//
// (tests/browser/run.sh installs what this needs, builds the book and runs both.)
//
// Every page, print.html included, fails on: a console error or script
// error; a request that leaves the book folder or fails (the network is
// unreachable: the browser's proxy is a dead port); an image that does
// not load; math left untypeset (a `$`, `\(` or `\[` outside code, a
// KaTeX error element, KaTeX's stylesheet or fonts missing); an internal
// link or #anchor that does not resolve. A search for "Jensen" must
// return the Jensen chapter. The checks of the book's interactive parts
// are in page-checks.mjs.
//
// Why Node and playwright-core: one npm package with no dependencies of
// its own (pinned in package-lock.json, about 14 MB, installed in a
// second or two by `npm ci`), no browser download (it drives Debian's
// /usr/bin/chromium), and an event API for console messages, requests and
// page errors that the checks above need. Driving the DevTools protocol
// from Rust instead would mean a WebSocket client, JSON and the event
// bookkeeping in a workspace member, more code and a longer build for the
// same checks.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { pageChecks } from './page-checks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

// ---------------------------------------------------------------------------
// The browser

/** A TCP port that nothing listens on: the browser's proxy. */
async function deadPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const proxy = `http://127.0.0.1:${await deadPort()}`;
  try {
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      // Every request to another host goes to a proxy that is not there.
      // (127.0.0.1 bypasses it: the 404 page is served from there.)
      proxy: { server: proxy, bypass: '127.0.0.1' },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 60_000,
    });
    return { browser, proxy };
  } catch (e) {
    console.error(
      `error: Chromium could not start from ${executablePath}.\n` +
        `Install it with \`apt-get install -y chromium\`, or point CHROMIUM at a Chromium binary.\n\n` +
        `${e.message}`,
    );
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------
// One page

/**
 * Loads one page and runs every check on it. `inBook(url)` says whether a
 * URL is inside the book folder. Returns the problems found, the ids the
 * page defines (for #anchors) and the links it holds.
 */
async function checkPage(context, { url, file, inBook }) {
  const problems = [];
  const fail = (message) => {
    if (!problems.includes(message)) problems.push(message);
  };
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') fail(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => fail(`script error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && !inBook(u)) {
      fail(`request leaves the book folder: ${u}`);
    }
  });
  page.on('requestfailed', (r) => fail(`request failed: ${r.url()} (${r.failure()?.errorText})`));

  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  } catch (e) {
    fail(`does not load: ${e.message}`);
    await page.close();
    return { problems, ids: new Set(), links: [], counts: {} };
  }

  const seen = await page.evaluate(async () => {
    // Images: lazy ones are made to load too.
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    await Promise.all(images.map((img) => img.decode().catch(() => {})));
    await document.fonts.ready;
    const badImages = images
      .filter((img) => !img.complete || img.naturalWidth === 0)
      .map((img) => img.getAttribute('src'));

    // Math: text that a reader sees, outside code, must hold no TeX.
    const untypeset = [];
    const skip = 'code, pre, script, style, noscript, textarea, .katex, .katex-display';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue;
      const at = text.search(/\$|\\\(|\\\[/);
      if (at >= 0 && !node.parentElement.closest(skip)) {
        untypeset.push(text.slice(Math.max(0, at - 30), at + 30).replace(/\s+/g, ' ').trim());
      }
    }
    if (/\$|\\\(|\\\[/.test(document.title)) untypeset.push(`the title: ${document.title}`);
    const katexErrors = [...document.querySelectorAll('.katex-error')].map(
      (e) => e.getAttribute('title') || e.textContent,
    );
    const katex = document.querySelectorAll('.katex');
    const katexStyled =
      katex.length === 0 || getComputedStyle(katex[0]).fontFamily.includes('KaTeX');
    const badFonts = [...document.fonts]
      .filter((f) => f.status === 'error')
      .map((f) => f.family);

    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    ids.push(...[...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')));
    const links = [...document.querySelectorAll('a[href]')].map((a) => ({
      href: a.getAttribute('href'),
      url: a.href,
    }));
    return {
      badImages,
      untypeset,
      katexErrors,
      katexStyled,
      badFonts,
      ids,
      links,
      images: images.length,
      math: katex.length,
    };
  });

  for (const src of seen.badImages) fail(`image does not load: ${src}`);
  for (const text of seen.untypeset) fail(`untypeset math: …${text}…`);
  for (const e of seen.katexErrors) fail(`KaTeX error: ${e}`);
  if (!seen.katexStyled) fail('KaTeX stylesheet not applied: typeset math without its fonts');
  for (const family of seen.badFonts) fail(`font does not load: ${family}`);

  const counts = { images: seen.images, math: seen.math, links: seen.links.length };
  for (const check of pageChecks) {
    try {
      counts[check.name || 'page check'] = await check({ page, file, fail });
    } catch (e) {
      fail(`${check.name || 'page check'}: ${e.message}`);
    }
  }
  await page.close();
  return { problems, ids: new Set(seen.ids), links: seen.links, counts };
}

/** The ids of a page that was not checked itself (a link's target). */
async function idsOf(context, url) {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    return new Set(
      await page.evaluate(() => [
        ...[...document.querySelectorAll('[id]')].map((e) => e.id),
        ...[...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')),
      ]),
    );
  } catch {
    return new Set();
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------
// The book

function htmlFiles(dir, under = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, under), { withFileTypes: true })) {
    const rel = path.posix.join(under, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(dir, rel));
    else if (entry.name.endsWith('.html')) out.push(rel);
  }
  return out.sort();
}

/** Serves `dir` on 127.0.0.1, for the one page meant for a server: 404.html. */
async function serveFolder(dir) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    const types = { html: 'text/html', css: 'text/css', js: 'text/javascript', svg: 'image/svg+xml' };
    const type = types[path.extname(file).slice(1)] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type }).end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Checks `files` (paths inside `bookDir`), then every internal link and
 * #anchor they hold. Returns a map from file to its problems, and counts.
 */
async function checkBook(context, bookDir, files) {
  bookDir = fs.realpathSync(bookDir);
  const bookUrl = pathToFileURL(bookDir).href + '/';
  const { server, origin } = await serveFolder(bookDir);
  const results = new Map();
  try {
    for (const file of files) {
      // mdBook writes 404.html for a server: its <base href="/"> points at
      // the server's root. Every other page is read from the folder, as the
      // address that `cargo run -p book` prints.
      const viaServer = file === '404.html';
      const url = viaServer ? `${origin}/${file}` : new URL(file, bookUrl).href;
      const inBook = (u) => u.startsWith(bookUrl) || (viaServer && u.startsWith(origin + '/'));
      results.set(file, { ...(await checkPage(context, { url, file, inBook })), inBook, url });
    }

    // Links and #anchors, now that the ids of every page are known.
    const idCache = new Map();
    for (const [file, { links, problems, inBook }] of results) {
      for (const { href, url } of links) {
        // A same-page anchor names an id of this page. (On 404.html,
        // mdBook's <base href="/"> makes the browser resolve it against
        // the first page instead; the heading's own link is the only one.)
        const u = href.startsWith('#') ? new URL(href, results.get(file).url) : new URL(url);
        if (!['file:', 'http:', 'https:'].includes(u.protocol)) continue; // mailto:, javascript:
        if (!inBook(u.href)) {
          if (u.protocol === 'file:') problems.push(`link leaves the book folder: ${href}`);
          continue; // a link to the web: not followed, the network is off
        }
        const prefix = u.href.startsWith(bookUrl) ? bookUrl : origin + '/';
        const rel = decodeURIComponent(u.href.slice(prefix.length).split(/[?#]/)[0]);
        let target = rel === '' ? 'index.html' : rel;
        const targetPath = path.join(bookDir, target);
        if (fs.existsSync(targetPath) && fs.statSync(targetPath).isDirectory()) {
          target = path.posix.join(target, 'index.html');
        }
        if (!fs.existsSync(path.join(bookDir, target))) {
          const message = `dead link: ${href}`;
          if (!problems.includes(message)) problems.push(message);
          continue;
        }
        const anchor = decodeURIComponent(u.hash.slice(1));
        if (anchor === '' || !target.endsWith('.html')) continue;
        let ids = results.get(target)?.ids;
        if (!ids) {
          if (!idCache.has(target)) {
            idCache.set(target, await idsOf(context, new URL(target, bookUrl).href));
          }
          ids = idCache.get(target);
        }
        if (!ids.has(anchor)) {
          const message = `no such #anchor: ${href}`;
          if (!problems.includes(message)) problems.push(message);
        }
      }
    }
  } finally {
    server.close();
  }
  return results;
}

/** A search for "Jensen" on the first page lists the Jensen chapter. */
async function checkSearch(context, bookDir) {
  const problems = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  try {
    await page.goto(pathToFileURL(path.join(bookDir, 'index.html')).href, { waitUntil: 'load' });
    await page.click('#mdbook-search-toggle');
    // Key by key, as a reader types: mdBook searches on keyup.
    await page.locator('#mdbook-searchbar').pressSequentially('Jensen');
    await page.waitForSelector('#mdbook-searchresults a[href*="ch03-jensen.html"]', {
      timeout: 15_000,
    });
  } catch (e) {
    const shown = await page
      .$$eval('#mdbook-searchresults a', (as) => as.map((a) => a.getAttribute('href')))
      .catch(() => []);
    problems.push(
      `a search for "Jensen" does not list ch03-jensen.html (it lists: ${shown.join(', ') || 'nothing'}): ${e.message.split('\n')[0]}`,
    );
  }
  await page.close();
  return problems;
}

function report(name, problems, counts) {
  if (problems.length === 0) {
    const what = Object.entries(counts || {})
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    console.log(`ok    ${name}${what ? ` (${what})` : ''}`);
  } else {
    console.log(`FAIL  ${name}`);
    for (const p of problems) console.log(`        ${p}`);
  }
}

// ---------------------------------------------------------------------------
// The runs

async function checkTheBook(context, bookDir) {
  if (!fs.existsSync(path.join(bookDir, 'print.html'))) {
    console.error(`error: no book in ${bookDir}: build it first with \`cargo run -p book\``);
    process.exit(2);
  }
  const files = htmlFiles(bookDir);
  const results = await checkBook(context, bookDir, files);
  let passed = 0;
  let failed = 0;
  for (const [file, { problems, counts }] of results) {
    report(file, problems, counts);
    problems.length === 0 ? passed++ : failed++;
  }
  const search = await checkSearch(context, bookDir);
  report('search for "Jensen"', search);
  search.length === 0 ? passed++ : failed++;
  return { passed, failed };
}

/**
 * Copies the book, adds the pages of fixtures/, and checks them: each
 * planted breakage must be reported with the problem its page names in
 * <meta name="expect-problem">, and the clean page must pass.
 */
async function selfTest(context, bookDir) {
  const fixtures = path.join(here, 'fixtures');
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'book-fixtures-'));
  let passed = 0;
  let failed = 0;
  try {
    fs.cpSync(bookDir, copy, { recursive: true });
    const pages = fs.readdirSync(fixtures).filter((f) => f.endsWith('.html')).sort();
    for (const page of pages) fs.copyFileSync(path.join(fixtures, page), path.join(copy, page));
    const results = await checkBook(context, copy, pages);
    for (const [file, { problems }] of results) {
      const html = fs.readFileSync(path.join(fixtures, file), 'utf8');
      const expected = html.match(/<meta name="expect-problem" content="([^"]*)">/)?.[1];
      const caught = expected && problems.find((p) => p.startsWith(expected));
      if (expected ? caught : problems.length === 0) {
        console.log(`ok    ${file}: ${expected ? `caught: ${caught}` : 'passes'}`);
        passed++;
      } else {
        console.log(
          `FAIL  ${file}: expected ${expected ? `"${expected}…"` : 'no problem'}, got:` +
            (problems.length ? problems.map((p) => `\n        ${p}`).join('') : ' nothing'),
        );
        failed++;
      }
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  return { passed, failed };
}

const argv = process.argv.slice(2);
const self = argv.includes('--self-test');
const bookDir = path.resolve(argv.find((a) => !a.startsWith('--')) || path.join(repo, 'book'));

const start = Date.now();
const { browser } = await launch();
const context = await browser.newContext({ serviceWorkers: 'block' });
const { passed, failed } = self ? await selfTest(context, bookDir) : await checkTheBook(context, bookDir);
await browser.close();
console.log(`${self ? 'planted breakages' : 'pages'}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
