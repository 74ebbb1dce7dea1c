// jsdom pages for the unit tests: the fixture pages themselves (their inline scripts run), at the
// live site's URL so the adapters' page checks see what they would see there.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const FIXTURES = new URL("../fixtures/", import.meta.url);

export const SITE_URLS = {
  gmail: "https://mail.google.com/mail/u/0/#inbox",
  outlook: "https://outlook.office.com/mail/inbox",
};

const open = new Set();

/** Closes every page opened by fixturePage (and so their timers, which would keep node running). */
export function closePages() {
  for (const win of open) win.close();
  open.clear();
}

export function fixturePage(site, { hash = "" } = {}) {
  const html = readFileSync(new URL(`${site}.html`, FIXTURES), "utf8");
  const dom = new JSDOM(html, { url: SITE_URLS[site] + hash, runScripts: "dangerously", pretendToBeVisual: true });
  open.add(dom.window);
  return dom.window;
}

export function htmlPage(body, url = "https://example.org/") {
  return new JSDOM(`<!doctype html><body>${body}</body>`, { url, pretendToBeVisual: true }).window;
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
