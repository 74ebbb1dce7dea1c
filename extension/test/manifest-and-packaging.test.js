import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { bundle, OUTPUT } from "../scripts/bundle-content.mjs";
import { manifestFor, packageEntries, shippedFiles, zip } from "../scripts/package.mjs";
import { describeHealth } from "../options/health-text.js";
import { normalizeSettings } from "../src/settings.js";
import { inflateRawSync } from "node:zlib";

const manifest = JSON.parse(readFileSync(new URL("../manifest.json", import.meta.url), "utf8"));
const MAIL_SITES = ["https://mail.google.com/*", "https://outlook.office.com/*", "https://outlook.live.com/*", "https://outlook.office365.com/*"];

test("the manifest asks for the minimum: storage, the mail sites and the loopback backend", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.permissions, ["storage"]);
  assert.deepEqual(manifest.host_permissions, [...MAIL_SITES, "http://127.0.0.1/*", "http://localhost/*"]);
  assert.deepEqual(manifest.content_scripts.map((c) => c.matches), [MAIL_SITES]);
  assert.equal(manifest.web_accessible_resources, undefined, "nothing a page could probe for");
  assert.match(manifest.content_security_policy.extension_pages, /script-src 'self'/);
});

test("one manifest declares the background for both browsers; each package keeps its own", () => {
  assert.equal(manifest.background.service_worker, "src/background/worker.js");
  assert.deepEqual(manifest.background.scripts, ["src/background/worker.js"]);
  assert.ok(manifest.browser_specific_settings.gecko.id);
  const chrome = manifestFor("chrome");
  assert.equal(chrome.background.scripts, undefined);
  assert.equal(chrome.browser_specific_settings, undefined);
  const firefox = manifestFor("firefox");
  assert.equal(firefox.background.service_worker, undefined);
  assert.deepEqual(firefox.background.scripts, ["src/background/worker.js"]);
});

test("every file the manifest names is shipped", () => {
  const files = new Set(shippedFiles());
  const named = [
    manifest.background.service_worker,
    ...manifest.content_scripts.flatMap((c) => c.js),
    manifest.options_ui.page,
    ...Object.values(manifest.icons),
  ];
  for (const f of named) assert.ok(files.has(f), f);
  for (const f of files) assert.doesNotMatch(f, /^(test|node_modules|scripts)\//);
});

test("the content-script bundle on disk is the one its modules build (npm test rebuilds it first)", () => {
  const built = readFileSync(new URL(`../${OUTPUT}`, import.meta.url), "utf8");
  assert.equal(built, bundle(), "run: npm run build --prefix extension");
});

test("packages are valid zips whose manifest is the browser's own", () => {
  const entries = packageEntries("firefox");
  const archive = zip(entries);
  // walk the central directory and inflate the manifest back
  const end = archive.length - 22;
  assert.equal(archive.readUInt32LE(end), 0x06054b50);
  assert.equal(archive.readUInt16LE(end + 10), entries.length);
  const first = { nameLength: archive.readUInt16LE(26), size: archive.readUInt32LE(18) };
  const name = archive.subarray(30, 30 + first.nameLength).toString();
  assert.equal(name, "manifest.json");
  const data = inflateRawSync(archive.subarray(30 + first.nameLength, 30 + first.nameLength + first.size));
  assert.deepEqual(JSON.parse(data), manifestFor("firefox"));
});

test("the options page describes health plainly", () => {
  const s = normalizeSettings({});
  const ok = describeHealth(
    { type: "health/value", ok: true, health: { status: "ok", model_loaded: true, model: { engine: "llama.cpp", base: "gemma.gguf", adapter: "lora.gguf" }, queue: { waiting: 0, capacity: 8 } } },
    s,
  );
  assert.deepEqual(ok, { ok: true, text: "OK – http://127.0.0.1:8000: gemma.gguf + lora.gguf (llama.cpp), queue 0/8" });
  const down = describeHealth({ type: "health/value", ok: false, error: { code: "unreachable", message: "Could not reach the proofreader at x.", kind: "not_running" } }, s);
  assert.equal(down.ok, false);
  assert.match(down.text, /^Not reachable: Could not reach/);
  const failing = describeHealth({ type: "health/value", ok: false, error: { code: "internal", message: "It broke.", kind: "server_failed" } }, s);
  assert.deepEqual(failing, { ok: false, text: "Not working: It broke." });
  assert.equal(describeHealth(undefined, s).ok, false);
});
