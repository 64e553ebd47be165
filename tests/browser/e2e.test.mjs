// End-to-end test of the `newsdex serve` page in Debian's headless Chromium: a small corpus is
// indexed, the server started on a free loopback port, and the page driven like a reader would
// (type a query, click a country facet, open an article, go back). A screenshot of each step is
// kept in target/browser-artifacts/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import readline from "node:readline";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const target = process.env.CARGO_TARGET_DIR || path.join(root, "target");
const binary = process.env.NEWSDEX_BIN || path.join(target, "debug/newsdex");
const artifacts = path.join(target, "browser-artifacts");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

const ARTICLES = [
  { id: "w1", title: "India and France sign trade deal", body: "Indian and French ministers signed a trade agreement in New Delhi on Monday, cutting tariffs on wine and machinery. The trade deal was welcomed by exporters.", date: "2024-03-05", source: "Wire" },
  { id: "w2", title: "Flooding hits Jakarta", body: "Heavy rain flooded parts of Jakarta, Indonesia, on Tuesday. Thousands of residents were evacuated as rivers burst their banks.", date: "2024-04-10", source: "Wire" },
  { id: "w3", title: "Brazil central bank holds rates", body: "Brazil's central bank kept its benchmark interest rate unchanged on Wednesday as inflation eased, while trade talks went on.", date: "2023-11-20", source: "Markets Daily" },
  { id: "w4", title: "Japan and Brazil discuss trade", body: "Officials from Japan and Brazil met in Tokyo to discuss trade in beef and cars.", date: "2024-01-15", source: "Wire" },
  { id: "x1", title: "<img src=x onerror=alert(1)>", body: "Trade <script>alert(2)</script> & more trade talk in Paris, France.", date: "2024-05-01", source: "<b>Wire</b>" },
];

let work;
let server;
let base;
let browser;
let page;
const dialogs = [];

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ["serve", "--bind", "127.0.0.1:0"], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
    server.on("error", reject);
    const lines = readline.createInterface({ input: server.stderr });
    lines.on("line", (line) => {
      const match = /^serving .* on (http:\/\/127\.0\.0\.1:\d+)\/$/.exec(line);
      if (match) resolve(match[1]);
    });
    server.on("exit", (code) => reject(new Error("newsdex serve exited with " + code)));
  });
}

async function shot(name) {
  await page.screenshot({ path: path.join(artifacts, name + ".png") });
}

// Waits until the page has rendered a state other than `previous`.
async function rendered(previous) {
  await page.waitForFunction((prev) => document.body.dataset.ready && document.body.dataset.ready !== prev, previous);
  return page.evaluate(() => document.body.dataset.ready);
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  work = mkdtempSync(path.join(tmpdir(), "newsdex-e2e-"));
  mkdirSync(path.join(work, "corpus"));
  writeFileSync(path.join(work, "corpus/news.jsonl"), ARTICLES.map((a) => JSON.stringify(a)).join("\n") + "\n");
  execFileSync(binary, ["index", "-q"], { cwd: work });
  base = await startServer();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  page.on("dialog", async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  page.on("request", (request) => {
    if (!request.url().startsWith(base + "/")) dialogs.push("external request " + request.url());
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
});

test("search, filter by a country, open an article and go back", async () => {
  await page.goto(base + "/");
  let ready = await rendered("");
  await shot("1-home");
  assert.equal(await page.textContent("#summary"), "1–5 of 5 articles");

  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "q");
  await page.keyboard.type("trade");
  await page.keyboard.press("Enter");
  ready = await rendered(ready);
  await shot("2-query");
  assert.equal(new URL(page.url()).search, "?q=trade");
  assert.equal(await page.textContent("#summary"), "1–4 of 4 articles");
  assert.equal(await page.locator("#hits li").count(), 4);

  await page.click('#facets button[data-facet="country"][data-value="BR"]');
  ready = await rendered(ready);
  await shot("3-country");
  assert.equal(new URL(page.url()).search, "?q=trade&country=BR");
  assert.equal(await page.textContent("#summary"), "1–2 of 2 articles");
  assert.deepEqual(await page.locator("#hits li a").allTextContents(), ["Japan and Brazil discuss trade", "Brazil central bank holds rates"]);
  assert.equal(await page.textContent("#chips"), "country: BR ✕");

  await page.click('#hits a[data-id="w4"]');
  ready = await rendered(ready);
  await shot("4-article");
  assert.equal(new URL(page.url()).search, "?q=trade&country=BR&article=w4");
  assert.equal(await page.textContent("#article h1"), "Japan and Brazil discuss trade");
  assert.deepEqual(await page.locator("#article h2").allTextContents(), ["Countries", "Topics (confidence 1.00)", "Similar articles"]);
  assert.ok(await page.isVisible("#article"));

  await page.goBack();
  ready = await rendered(ready);
  await shot("5-back");
  assert.equal(new URL(page.url()).search, "?q=trade&country=BR");
  assert.ok(await page.isHidden("#article"));
  assert.equal(await page.textContent("#summary"), "1–2 of 2 articles");

  await page.click(".chip");
  ready = await rendered(ready);
  assert.equal(new URL(page.url()).search, "?q=trade");
  assert.deepEqual(dialogs, []);
});

test("a link reproduces the view, and markup in articles stays text", async () => {
  await page.goto(base + "/?q=paris&article=x1");
  const ready = await rendered("");
  await shot("6-markup");
  assert.equal(await page.textContent("#hits li a"), "<img src=x onerror=alert(1)>");
  assert.equal(await page.textContent("#article h1"), "<img src=x onerror=alert(1)>");
  assert.equal(await page.locator("main img, main script").count(), 0);
  assert.equal(await page.textContent("#hits .snippet b"), "Paris");
  assert.ok((await page.textContent("#article .body")).includes("<script>alert(2)</script>"));
  await page.keyboard.press("Escape");
  await rendered(ready);
  assert.equal(new URL(page.url()).search, "?q=paris");
  assert.deepEqual(dialogs, []);
});
