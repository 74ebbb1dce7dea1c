import assert from "node:assert/strict";
import { test } from "node:test";
import { adapterFor } from "../src/content/adapters/index.js";
import { gmail } from "../src/content/adapters/gmail.js";
import { outlook } from "../src/content/adapters/outlook.js";
import { fixturePage, htmlPage } from "./helpers/dom.js";

test("each site gets its own adapter, other pages none", () => {
  assert.equal(adapterFor(new URL("https://mail.google.com/mail/u/0/"), null), gmail);
  for (const host of ["outlook.office.com", "outlook.live.com", "outlook.office365.com"]) {
    assert.equal(adapterFor(new URL(`https://${host}/mail/`), null), outlook);
  }
  assert.equal(adapterFor(new URL("https://example.org/"), htmlPage("").document), null);
  // Outlook on another domain is recognised by its CDN meta tag.
  const owa = htmlPage('<meta name="cdnUrl" content="https://res.cdn.office.net/">');
  assert.equal(adapterFor(new URL("https://mail.contoso.com/owa/"), owa.document), outlook);
});

test("both adapters expose the same interface", () => {
  const keys = (a) => Object.keys(a).sort();
  assert.deepEqual(keys(gmail), keys(outlook));
  for (const name of ["findComposeRoots", "getOwnText", "replaceOwnText", "buttonAnchor"]) assert.equal(typeof gmail[name], "function");
});

test("Gmail: finds the compose body, not the To field, and anchors the button after Send", () => {
  const { document } = fixturePage("gmail");
  const found = gmail.findComposeRoots(document);
  assert.equal(found.length, 1);
  assert.equal(found[0].editor.getAttribute("g_editable"), "true");
  assert.equal(found[0].root.classList.contains("M9"), true);
  const anchor = gmail.buttonAnchor(found[0]);
  assert.equal(anchor.where, "after");
  assert.equal(anchor.element.classList.contains("btA"), true);
});

test("Gmail: own text keeps line breaks and leaves out the signature", () => {
  const { document } = fixturePage("gmail");
  const [{ editor }] = gmail.findComposeRoots(document);
  assert.equal(gmail.getOwnText(editor), "Hi Sam,\nI has sent the report yesterday.\n\nThanks");
});

test("Gmail: an inline reply's quote is not sent; several composes are found at once", () => {
  const win = fixturePage("gmail");
  win.fixture.openCompose('First line<div>second line</div>');
  win.fixture.openReply();
  const found = gmail.findComposeRoots(win.document);
  assert.equal(found.length, 3);
  const texts = found.map((c) => gmail.getOwnText(c.editor));
  assert.deepEqual(texts.sort(), ["First line\nsecond line", "Here it is, sorry for the delay.", "Hi Sam,\nI has sent the report yesterday.\n\nThanks"].sort());
});

test("Gmail: the English Send tooltip is not needed (other UI languages)", () => {
  const { document } = fixturePage("gmail");
  for (const el of document.querySelectorAll("[data-tooltip]")) el.setAttribute("data-tooltip", "Senden (Strg-Eingabe)");
  document.querySelector('[g_editable="true"]').setAttribute("aria-label", "Nachrichtentext");
  const found = gmail.findComposeRoots(document);
  assert.equal(found.length, 1);
  assert.equal(gmail.buttonAnchor(found[0]).element.classList.contains("btA"), true);
});

test("Outlook: finds the body (not the To textbox) and stops at the signature and the quoted reply", () => {
  const win = fixturePage("outlook");
  win.fixture.openReply();
  const found = outlook.findComposeRoots(win.document);
  assert.equal(found.length, 2);
  for (const { editor } of found) assert.match(editor.getAttribute("aria-label"), /^Message body/);
  assert.equal(outlook.getOwnText(found[0].editor), "Hello Dana,\nTheir is a problem with the invoice.\n\nRegards");
  assert.equal(outlook.getOwnText(found[1].editor), "Sure, here they are.");
  const anchor = outlook.buttonAnchor(found[1]);
  assert.equal(anchor.element.classList.contains("ms-Button--primary"), true);
  assert.equal(found[1].root.contains(anchor.element), true);
  assert.equal(found[0].root.contains(found[1].editor), false, "each compose has its own root");
});

test("Outlook: without a recognisable Send the button goes just above the body", () => {
  const win = fixturePage("outlook");
  for (const b of win.document.querySelectorAll("button")) b.remove();
  const [compose] = outlook.findComposeRoots(win.document);
  assert.deepEqual(outlook.buttonAnchor(compose), { element: compose.editor, where: "before" });
});
