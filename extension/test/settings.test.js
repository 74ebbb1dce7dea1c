import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SETTINGS, generationOptions, loadSettings, needsRuntimePermission, normalizeSettings, originPattern, saveSettings } from "../src/settings.js";

test("missing or garbage settings fall back to the defaults", () => {
  const expected = { ...DEFAULT_SETTINGS, sites: { ...DEFAULT_SETTINGS.sites } };
  assert.deepEqual(normalizeSettings(undefined), expected);
  assert.deepEqual(normalizeSettings("nope"), expected);
  assert.equal(normalizeSettings({}).backendUrl, "http://127.0.0.1:8000");
});

test("URLs are cleaned and non-http schemes refused", () => {
  assert.equal(normalizeSettings({ backendUrl: " http://localhost:9000/ " }).backendUrl, "http://localhost:9000");
  assert.equal(normalizeSettings({ spaceUrl: "https://x.hf.space/app/?q=1#f" }).spaceUrl, "https://x.hf.space/app");
  assert.equal(normalizeSettings({ backendUrl: "javascript:alert(1)" }).backendUrl, "http://127.0.0.1:8000");
  assert.equal(normalizeSettings({ backendUrl: "not a url" }).backendUrl, "http://127.0.0.1:8000");
});

test("generation controls are clamped and parsed from form strings", () => {
  const s = normalizeSettings({ temperature: "3", topP: "0", maxTokens: "99999.4", mode: "space", stream: false });
  assert.equal(s.temperature, 2);
  assert.equal(s.topP, 0.01);
  assert.equal(s.maxTokens, 4096);
  assert.equal(s.mode, "space");
  assert.equal(s.stream, false);
  assert.equal(normalizeSettings({ mode: "cloud" }).mode, "local");
  assert.deepEqual(generationOptions(normalizeSettings({})), { temperature: 0, top_p: 1, max_tokens: null });
  assert.equal(generationOptions(normalizeSettings({ maxTokens: 64 })).max_tokens, 64);
});

test("per-site switches keep booleans only", () => {
  assert.deepEqual(normalizeSettings({ sites: { gmail: false, outlook: "yes", yahoo: true } }).sites, { gmail: false, outlook: true });
});

test("loopback needs no runtime permission; remote origins do", () => {
  assert.equal(needsRuntimePermission("http://127.0.0.1:8000"), false);
  assert.equal(needsRuntimePermission("http://localhost:7860"), false);
  assert.equal(needsRuntimePermission("https://me-proofreader.hf.space"), true);
  assert.equal(originPattern("https://me-proofreader.hf.space/x"), "https://me-proofreader.hf.space/*");
});

test("settings round-trip through storage.sync and hold no other keys", async () => {
  const store = {};
  const storage = {
    sync: {
      get: async (key) => (key in store ? { [key]: store[key] } : {}),
      set: async (obj) => Object.assign(store, obj),
    },
  };
  const saved = await saveSettings(storage, { backendUrl: "http://127.0.0.1:9001/", sites: { gmail: false }, draft: "secret" });
  assert.deepEqual(Object.keys(store), ["settings"]);
  assert.equal("draft" in store.settings, false);
  assert.deepEqual(await loadSettings(storage), saved);
  assert.equal(saved.backendUrl, "http://127.0.0.1:9001");
  assert.equal(saved.sites.gmail, false);
});
