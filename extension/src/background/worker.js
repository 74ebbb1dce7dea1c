// The background worker (Chrome service worker / Firefox event page). All network calls happen here:
// Chrome's local-network protection blocks a content script's fetch to 127.0.0.1 on a public site,
// while the worker, with host permissions, can reach it.
import { PORT_NAME, msg, validateMessage } from "../protocol.js";
import { loadSettings, normalizeSettings } from "../settings.js";
import { healthLocal, proofreadLocal } from "./backend-client.js";
import { toErrorInfo } from "./errors.js";
import { healthSpace, proofreadSpace } from "./space-client.js";

const api = globalThis.browser ?? globalThis.chrome;

async function runProofread(port, request, controller) {
  const settings = await loadSettings(api.storage);
  const target = settings.mode === "space" ? settings.spaceUrl : settings.backendUrl;
  const send = (m) => {
    if (!controller.signal.aborted) {
      try {
        port.postMessage(m);
      } catch {
        controller.abort(); // the tab went away
      }
    }
  };
  try {
    const options = {
      signal: controller.signal,
      onToken: (text) => send(msg.proofreadToken(request.requestId, text)),
    };
    const result =
      settings.mode === "space"
        ? await proofreadSpace(settings, request.text, options)
        : await proofreadLocal(settings, request.text, options);
    send(msg.proofreadResult(request.requestId, result));
  } catch (err) {
    if (!controller.signal.aborted) send(msg.proofreadError(request.requestId, toErrorInfo(err, target)));
  }
}

api.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME) return;
  const running = new Map(); // requestId -> AbortController
  port.onMessage.addListener((m) => {
    if (!validateMessage(m).ok) return;
    if (m.type === "proofread/start") {
      const controller = new AbortController();
      running.set(m.requestId, controller);
      runProofread(port, m, controller).finally(() => running.delete(m.requestId));
    } else if (m.type === "proofread/cancel") {
      running.get(m.requestId)?.abort();
      running.delete(m.requestId);
    }
  });
  // Closing the panel or the tab disconnects the port: stop the request so the backend frees its worker.
  port.onDisconnect.addListener(() => {
    for (const controller of running.values()) controller.abort();
    running.clear();
  });
});

async function checkHealth(settingsOverride) {
  const settings = settingsOverride ? normalizeSettings(settingsOverride) : await loadSettings(api.storage);
  const target = settings.mode === "space" ? settings.spaceUrl : settings.backendUrl;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const health =
      settings.mode === "space"
        ? await healthSpace(settings, { signal: controller.signal })
        : await healthLocal(settings, { signal: controller.signal });
    return msg.healthValue(true, health);
  } catch (err) {
    const info = toErrorInfo(err, target);
    if (info.code === "cancelled") {
      info.code = "timeout";
      info.message = `No answer from ${target} within 5 s.`;
      info.kind = "not_running";
    }
    return msg.healthValue(false, undefined, info);
  } finally {
    clearTimeout(timer);
  }
}

async function openFallback(text) {
  const settings = await loadSettings(api.storage);
  // The draft travels in the fragment, which never reaches the server (see docs/API.md, Prefill).
  const url = `${settings.spaceUrl}/#draft=${encodeURIComponent(text)}`;
  await api.tabs.create({ url });
  return msg.fallbackOpened(settings.spaceUrl);
}

api.runtime.onMessage.addListener((m, _sender, sendResponse) => {
  if (!validateMessage(m).ok) return false;
  let answer;
  if (m.type === "settings/get") answer = loadSettings(api.storage).then((s) => msg.settingsValue(s));
  else if (m.type === "health/check") answer = checkHealth(m.settings);
  else if (m.type === "fallback/open") answer = openFallback(m.text);
  else return false;
  answer.then(sendResponse, () => sendResponse(undefined));
  return true; // answer asynchronously
});

api.commands?.onCommand.addListener(async (command, tab) => {
  if (command !== "proofread") return;
  let tabId = tab?.id;
  if (tabId === undefined) [{ id: tabId } = {}] = await api.tabs.query({ active: true, currentWindow: true });
  if (tabId !== undefined) api.tabs.sendMessage(tabId, msg.shortcutProofread()).catch(() => {});
});
