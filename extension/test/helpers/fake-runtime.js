// A stand-in for chrome.runtime / chrome.storage as the content script uses them.
import { normalizeSettings } from "../../src/settings.js";

export function fakeRuntime(settings = {}) {
  const ports = [];
  const sent = [];
  const messageListeners = [];
  const storageListeners = [];
  const runtime = {
    ports,
    sent,
    connect({ name }) {
      const listeners = { message: [], disconnect: [] };
      const port = {
        name,
        posted: [],
        disconnected: false,
        postMessage: (m) => port.posted.push(m),
        disconnect: () => {
          port.disconnected = true;
        },
        onMessage: { addListener: (fn) => listeners.message.push(fn) },
        onDisconnect: { addListener: (fn) => listeners.disconnect.push(fn) },
        // test side: the background worker answering
        reply: (m) => listeners.message.forEach((fn) => fn(m)),
        drop: () => listeners.disconnect.forEach((fn) => fn()),
      };
      ports.push(port);
      return port;
    },
    async sendMessage(m) {
      sent.push(m);
      if (m.type === "settings/get") return { type: "settings/value", settings: normalizeSettings(settings) };
      return undefined;
    },
    onMessage: { addListener: (fn) => messageListeners.push(fn) },
    deliver: (m) => messageListeners.forEach((fn) => fn(m, {}, () => {})),
  };
  const storage = {
    onChanged: { addListener: (fn) => storageListeners.push(fn) },
    change: (newSettings) => storageListeners.forEach((fn) => fn({ settings: { newValue: newSettings } }, "sync")),
  };
  return { runtime, storage };
}
