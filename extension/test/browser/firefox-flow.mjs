#!/usr/bin/env node
// The extension in Firefox ESR, driven by puppeteer-core over WebDriver BiDi (no geckodriver):
// install the Firefox package (its default backend URL pointed at --backend), then on the Gmail and Outlook
// fixtures served at the real sites' URLs: button, proofread, panel, Apply, one Ctrl+Z undo; and with
// the backend down: the fallback message, the draft untouched, the web app opened with the draft.
//   node extension/test/browser/firefox-flow.mjs --backend http://127.0.0.1:PORT [--screenshots DIR]
// Prints one JSON line per check and exits non-zero on the first failure (tests/browser runs it).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const EXT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURES = join(EXT, "test/fixtures");

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const backend = option("--backend");
const screenshots = option("--screenshots", null);
const firefox = option("--firefox", "/usr/bin/firefox-esr");
if (!backend) throw new Error("--backend URL is required");

const SITES = {
  gmail: { url: "https://mail.google.com/mail/u/0/", html: readFileSync(join(FIXTURES, "gmail.html"), "utf8"), wrong: "I has", right: "I have" },
  outlook: { url: "https://outlook.office.com/mail/", html: readFileSync(join(FIXTURES, "outlook.html"), "utf8"), wrong: "Their is", right: "There is" },
};
const EDITOR = '[g_editable="true"], [id^="editorParent"] [contenteditable="true"]';

// Polls (every 100 ms) rather than waiting for DOM mutations: changes inside the panel's shadow root
// are not mutations of the page's light DOM.
const waitForPanel = (page, state, timeout) =>
  page.waitForFunction(
    (s) => document.querySelector(".ep-panel-host")?.shadowRoot.querySelector(".panel")?.dataset.state === s,
    { timeout, polling: 100 },
    state,
  );

const report = (check, extra = {}) => console.log(JSON.stringify({ check, ok: true, ...extra }));
function expect(cond, message) {
  if (!cond) throw new Error(message);
}

// WebDriver BiDi may not navigate to moz-extension:// pages, so the options page can't be driven here
// (Chromium's test covers it). Each test copy gets its URLs as the default settings instead.
function buildTestCopy(dir, urls) {
  const packed = spawnSync(process.execPath, [join(EXT, "scripts/package.mjs"), "--unpacked", dir, "--browser", "firefox"], { encoding: "utf8" });
  expect(packed.status === 0, `packaging failed: ${packed.stderr}`);
  const defaults = { backendUrl: "http://127.0.0.1:8000", spaceUrl: "http://127.0.0.1:7860" };
  for (const file of ["src/settings.js", "src/content/content-script.js"]) {
    const path = join(dir, file);
    let source = readFileSync(path, "utf8");
    for (const [key, value] of Object.entries(urls)) {
      const original = `${key}: ${JSON.stringify(defaults[key])}`;
      expect(source.includes(original), `default ${key} not found in ${file}`);
      source = source.replace(original, `${key}: ${JSON.stringify(value)}`);
    }
    writeFileSync(path, source);
  }
}

async function openFixture(site) {
  const { url, html } = SITES[site];
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.url().startsWith(new URL(url).origin)) request.respond({ status: 200, contentType: "text/html; charset=utf-8", body: html });
    else request.continue();
  });
  await page.goto(url);
  return page;
}

let browser;
const build = mkdtempSync(join(tmpdir(), "email-proofreader-firefox-"));
const profileDir = mkdtempSync(join(tmpdir(), "email-proofreader-ffprofile-"));
try {
  buildTestCopy(build, { backendUrl: backend, spaceUrl: backend });

  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: firefox,
    headless: true,
    userDataDir: profileDir,
  });
  const id = await browser.installExtension(build);
  report("installed", { id });

  for (const [site, { wrong, right }] of Object.entries(SITES)) {
    const page = await openFixture(site);
    const button = await page.waitForSelector(">>> button.ep-proofread", { timeout: 15000 });
    expect((await page.$$(">>> button.ep-proofread")).length === 1, "one button per compose");
    report("button", { site });

    const beforeHtml = await page.$eval(EDITOR, (e) => e.innerHTML);
    const beforeText = await page.$eval(EDITOR, (e) => e.innerText);
    await button.click();
    try {
      await waitForPanel(page, "result", 30000);
    } catch (err) {
      const state = await page.evaluate(() => {
        const panel = document.querySelector(".ep-panel-host")?.shadowRoot.querySelector(".panel");
        return panel ? `${panel.dataset.state}: ${panel.textContent.slice(0, 300)}` : "no panel";
      });
      if (screenshots) await page.screenshot({ path: join(screenshots, `firefox-${site}-failure.png`) });
      throw new Error(`${site}: no result in the panel (${state})`, { cause: err });
    }
    const ins = await page.$eval(">>> .panel ins", (e) => e.textContent);
    const politeness = await page.$eval('>>> .panel tr[data-kind="politeness"] .after', (e) => e.textContent);
    expect(ins.length > 0 && /\(\d+%\)/.test(politeness), "panel shows the diff and the scores");
    report("proofread", { site, inserted: ins });
    if (screenshots) await page.screenshot({ path: join(screenshots, `firefox-${site}-panel-result.png`) });
    expect((await page.$eval(EDITOR, (e) => e.innerHTML)) === beforeHtml, "the result alone does not touch the draft");

    await (await page.$(">>> .panel button.apply")).click();
    await page.waitForFunction(() => !document.querySelector(".ep-panel-host"), { timeout: 10000 });
    const afterText = await page.$eval(EDITOR, (e) => e.innerText);
    expect(afterText === beforeText.replace(wrong, right), `applied text differs: ${JSON.stringify(afterText)}`);
    report("apply", { site });
    if (screenshots) await page.screenshot({ path: join(screenshots, `firefox-${site}-applied.png`) });

    await page.keyboard.down("Control");
    await page.keyboard.press("z");
    await page.keyboard.up("Control");
    const undone = await page.$eval(EDITOR, (e) => e.innerText);
    expect(undone === beforeText, `one Ctrl+Z did not restore the draft: ${JSON.stringify(undone)}`);
    report("undo", { site, exactHtml: (await page.$eval(EDITOR, (e) => e.innerHTML)) === beforeHtml });
    await page.close();
  }

  // Backend down: the panel says so, the draft is untouched, and the web app opens with the draft.
  await browser.uninstallExtension(id);
  const downBuild = mkdtempSync(join(tmpdir(), "email-proofreader-firefox-down-"));
  try {
    buildTestCopy(downBuild, { backendUrl: "http://127.0.0.1:9", spaceUrl: backend });
    await browser.installExtension(downBuild);
    const page = await openFixture("gmail");
    const button = await page.waitForSelector(">>> button.ep-proofread", { timeout: 15000 });
    const beforeHtml = await page.$eval(EDITOR, (e) => e.innerHTML);
    await button.click();
    await waitForPanel(page, "error", 30000);
    const message = await page.$eval(">>> .panel .error-message", (e) => e.textContent);
    expect(/Could not reach the proofreader at http:\/\/127\.0\.0\.1:9\..*Your draft is unchanged/.test(message), `fallback message: ${message}`);
    if (screenshots) await page.screenshot({ path: join(screenshots, "firefox-gmail-fallback.png") });
    const webApp = browser.waitForTarget((t) => t.url().startsWith(`${backend}/#draft=`), { timeout: 15000 });
    await (await page.$(">>> .panel button.open-web-app")).click();
    const target = await webApp;
    expect(decodeURIComponent(target.url()).includes("I has sent"), "the web app got the draft");
    expect((await page.$eval(EDITOR, (e) => e.innerHTML)) === beforeHtml, "the draft is untouched on failure");
    report("fallback", { site: "gmail" });
  } finally {
    rmSync(downBuild, { recursive: true, force: true });
  }
} finally {
  await browser?.close();
  rmSync(build, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
}
