// Options page: reads and writes the settings, asks for host permission for a remote backend or
// Space, and shows the backend's health (via the background worker, which does all network calls).
import { msg } from "../src/protocol.js";
import { DEFAULT_SETTINGS, SITES, loadSettings, needsRuntimePermission, normalizeSettings, originPattern, saveSettings } from "../src/settings.js";
import { describeHealth } from "./health-text.js";

const api = globalThis.browser ?? globalThis.chrome;
const form = document.getElementById("settings");

function fill(settings) {
  form.elements.mode.value = settings.mode;
  for (const name of ["backendUrl", "spaceUrl", "apiKey", "temperature", "topP", "maxTokens"]) form.elements[name].value = settings[name];
  form.elements.stream.checked = settings.stream;
  for (const site of SITES) form.elements[`site-${site}`].checked = settings.sites[site];
}

function read() {
  const sites = {};
  for (const site of SITES) sites[site] = form.elements[`site-${site}`].checked;
  return normalizeSettings({
    mode: form.elements.mode.value,
    backendUrl: form.elements.backendUrl.value,
    spaceUrl: form.elements.spaceUrl.value,
    apiKey: form.elements.apiKey.value,
    stream: form.elements.stream.checked,
    temperature: form.elements.temperature.value,
    topP: form.elements.topP.value,
    maxTokens: form.elements.maxTokens.value,
    sites,
  });
}

async function showHealth(settings) {
  const out = document.getElementById("health");
  out.textContent = "Checking…";
  out.className = "";
  const answer = await api.runtime.sendMessage(msg.healthCheck(settings)).catch(() => undefined);
  const { text, ok } = describeHealth(answer, settings);
  out.textContent = text;
  out.className = ok ? "ok" : "bad";
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const settings = read();
  // Must run in the click's user gesture: ask for the remote origins before anything is awaited.
  const origins = [settings.backendUrl, settings.spaceUrl].filter(needsRuntimePermission).map(originPattern);
  let granted = true;
  if (origins.length) granted = await api.permissions.request({ origins }).catch(() => false);
  await saveSettings(api.storage, settings);
  fill(settings);
  document.getElementById("saved").textContent = granted ? "Saved." : "Saved, but without permission to reach that address.";
  showHealth(settings);
});

document.getElementById("check").addEventListener("click", () => showHealth(read()));

loadSettings(api.storage)
  .catch(() => normalizeSettings(DEFAULT_SETTINGS))
  .then((settings) => {
    fill(settings);
    showHealth(settings);
  });
