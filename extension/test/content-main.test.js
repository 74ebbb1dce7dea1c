import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { start } from "../src/content/main.js";
import { msg, errorInfo } from "../src/protocol.js";
import { closePages, fixturePage, tick } from "./helpers/dom.js";
import { fakeRuntime } from "./helpers/fake-runtime.js";
import { sampleResult } from "./helpers/sample-result.js";

afterEach(closePages);

const buttons = (doc) => [...doc.querySelectorAll(".ep-proofread-host")].map((h) => h.shadowRoot.querySelector("button"));
const panelRoot = (doc) => doc.querySelector(".ep-panel-host")?.shadowRoot;
const editors = (doc) => [...doc.querySelectorAll('[g_editable="true"]')];

async function gmailPage(settings) {
  const win = fixturePage("gmail");
  const { runtime, storage } = fakeRuntime(settings);
  const app = await start({ doc: win.document, location: win.location, runtime, storage });
  return { win, doc: win.document, runtime, storage, app };
}

test("one Proofread button per compose, next to Send, also after opening another and re-rendering", async () => {
  const { win, doc } = await gmailPage();
  assert.equal(buttons(doc).length, 1);
  assert.equal(doc.querySelector(".ep-proofread-host").previousElementSibling.classList.contains("btA"), true);
  win.fixture.openCompose();
  win.fixture.openReply();
  await tick(300);
  assert.equal(buttons(doc).length, 3);
  win.fixture.rerender();
  await tick(300);
  assert.equal(buttons(doc).length, 3, "re-rendered composes get a button again, no duplicates");
  for (const host of doc.querySelectorAll(".ep-proofread-host")) assert.ok(host.closest(".M9"));
});

test("Outlook page gets buttons by the primary Send button", async () => {
  const win = fixturePage("outlook");
  const { runtime, storage } = fakeRuntime();
  await start({ doc: win.document, location: win.location, runtime, storage });
  const host = win.document.querySelector(".ep-proofread-host");
  assert.equal(host.previousElementSibling.classList.contains("ms-Button--primary"), true);
});

test("click sends only the user's own text, streams tokens, then shows scores and the diff", async () => {
  const { doc, runtime } = await gmailPage();
  const before = editors(doc)[0].innerHTML;
  buttons(doc)[0].click();
  const port = runtime.ports[0];
  const start = port.posted[0];
  assert.equal(start.type, "proofread/start");
  assert.equal(start.text, "Hi Sam,\nI has sent the report yesterday.\n\nThanks");
  assert.equal(start.site, "gmail");
  assert.equal(panelRoot(doc).querySelector(".panel").dataset.state, "loading");
  port.reply(msg.proofreadToken(start.requestId, "Hi Sam,"));
  port.reply(msg.proofreadToken(start.requestId, "\nI have"));
  port.reply(msg.proofreadToken("another-request", "ignored"));
  assert.equal(panelRoot(doc).querySelector(".stream").textContent, "Hi Sam,\nI have");
  port.reply(msg.proofreadResult(start.requestId, sampleResult()));
  const root = panelRoot(doc);
  assert.equal(root.querySelector(".panel").dataset.state, "result");
  assert.match(root.querySelector('tr[data-kind="politeness"] .before').textContent, /🙂 neutral/);
  assert.match(root.querySelector('tr[data-kind="politeness"] .after').textContent, /😊 polite/);
  assert.equal(root.querySelector("del").textContent, "has");
  assert.equal(root.querySelector("ins").textContent, "have");
  assert.deepEqual([...root.querySelectorAll(".actions button")].map((b) => b.textContent), ["Apply", "Copy", "Dismiss"]);
  assert.equal(port.disconnected, true, "the port is closed once the result is in");
  assert.equal(editors(doc)[0].innerHTML, before, "showing the result does not touch the draft");
  root.querySelector(".dismiss").click();
  assert.equal(doc.querySelector(".ep-panel-host"), null);
});

test("backend down: plain message, Open the web app sends the draft to the fallback, draft untouched", async () => {
  const { doc, runtime } = await gmailPage();
  const before = editors(doc)[0].innerHTML;
  buttons(doc)[0].click();
  const port = runtime.ports[0];
  port.reply(msg.proofreadError(port.posted[0].requestId, errorInfo("unreachable", "Could not reach the proofreader at http://127.0.0.1:8000.", "not_running")));
  const root = panelRoot(doc);
  assert.equal(root.querySelector(".panel").dataset.state, "error");
  assert.match(root.querySelector(".error-message").textContent, /Could not reach the proofreader .* Your draft is unchanged\./);
  root.querySelector(".open-web-app").click();
  await tick(10);
  const open = runtime.sent.find((m) => m.type === "fallback/open");
  assert.equal(open.text, "Hi Sam,\nI has sent the report yesterday.\n\nThanks");
  assert.equal(editors(doc)[0].innerHTML, before);
});

test("Cancel aborts the request and closes the panel", async () => {
  const { doc, runtime } = await gmailPage();
  buttons(doc)[0].click();
  const port = runtime.ports[0];
  panelRoot(doc).querySelector(".cancel").click();
  assert.equal(port.posted[1].type, "proofread/cancel");
  assert.equal(port.posted[1].requestId, port.posted[0].requestId);
  assert.equal(port.disconnected, true);
  assert.equal(doc.querySelector(".ep-panel-host"), null);
});

test("a second click while proofreading does not start a second request", async () => {
  const { doc, runtime } = await gmailPage();
  buttons(doc)[0].click();
  buttons(doc)[0].click();
  assert.equal(runtime.ports.length, 1);
});

test("a compose with no own text says so instead of calling the backend", async () => {
  const { win, doc, runtime } = await gmailPage();
  editors(doc)[0].innerHTML = '<div><br></div><br><span class="gmail_signature_prefix">-- </span><div class="gmail_signature">Alex</div>';
  buttons(doc)[0].click();
  assert.equal(runtime.ports.length, 0);
  assert.match(panelRoot(doc).querySelector(".error-message").textContent, /no text of yours/);
  assert.equal(win.document.querySelector(".open-web-app"), null);
});

test("the per-site switch removes and restores the buttons", async () => {
  const { doc, storage } = await gmailPage({ sites: { gmail: false } });
  assert.equal(buttons(doc).length, 0);
  storage.change({ sites: { gmail: true } });
  assert.equal(buttons(doc).length, 1);
  storage.change({ sites: { gmail: false } });
  assert.equal(buttons(doc).length, 0);
});

test("Alt+Shift+P in a compose proofreads that compose", async () => {
  const { win, doc, runtime } = await gmailPage();
  win.fixture.openCompose("<div>Second draft</div>");
  await tick(300);
  const second = editors(doc)[1];
  second.focus();
  second.dispatchEvent(new win.KeyboardEvent("keydown", { code: "KeyP", key: "P", altKey: true, shiftKey: true, bubbles: true }));
  assert.equal(runtime.ports[0].posted[0].text, "Second draft");
});

test("the browser command (shortcut/proofread) proofreads the focused compose", async () => {
  const { doc, runtime } = await gmailPage();
  editors(doc)[0].focus();
  runtime.deliver(msg.shortcutProofread());
  assert.equal(runtime.ports.length, 1);
});

test("the bundled content script (what the manifest loads) starts on the page and adds the button", async () => {
  const { readFileSync } = await import("node:fs");
  const win = fixturePage("outlook");
  const { runtime, storage } = fakeRuntime();
  win.chrome = { runtime, storage };
  win.eval(readFileSync(new URL("../src/content/content-script.js", import.meta.url), "utf8"));
  await tick(20);
  assert.equal(win.document.documentElement.dataset.emailProofreader, "outlook");
  assert.equal(buttons(win.document).length, 1);
  win.eval(readFileSync(new URL("../src/content/content-script.js", import.meta.url), "utf8"));
  await tick(20);
  assert.equal(buttons(win.document).length, 1, "a second injection does not add a second button");
});

test("Apply refuses when the draft was edited after proofreading", async () => {
  const { doc, runtime } = await gmailPage();
  buttons(doc)[0].click();
  const port = runtime.ports[0];
  port.reply(msg.proofreadResult(port.posted[0].requestId, sampleResult()));
  editors(doc)[0].firstElementChild.textContent = "Hi Sam, (edited)";
  const before = editors(doc)[0].innerHTML;
  panelRoot(doc).querySelector(".apply").click();
  assert.match(panelRoot(doc).querySelector(".notice").textContent, /draft changed after it was proofread/);
  assert.equal(editors(doc)[0].innerHTML, before);
});

test("the background worker going away mid-request is told plainly, and Proofread works again", async () => {
  const { doc, runtime } = await gmailPage();
  const before = editors(doc)[0].innerHTML;
  buttons(doc)[0].click();
  runtime.ports[0].drop();
  assert.equal(panelRoot(doc).querySelector(".error-message").textContent, "The extension's background worker stopped. Your draft is unchanged.");
  assert.equal(editors(doc)[0].innerHTML, before);
  buttons(doc)[0].click();
  assert.equal(runtime.ports.length, 2, "a new request starts");
  assert.equal(runtime.ports[1].posted[0].type, "proofread/start");
});

test("an extension reloaded under the page asks for a reload, and a later click tries again", async () => {
  const { doc, runtime } = await gmailPage();
  const connect = runtime.connect;
  runtime.connect = () => {
    throw new Error("Extension context invalidated.");
  };
  buttons(doc)[0].click();
  assert.match(panelRoot(doc).querySelector(".error-message").textContent, /Reload this page to proofread\. Your draft is unchanged\./);
  runtime.connect = connect;
  buttons(doc)[0].click();
  assert.equal(runtime.ports.length, 1, "the second click connects");
});
