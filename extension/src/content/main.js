// Content-script entry: picks the site adapter, watches for compose windows, adds one Proofread
// button to each, and wires the keyboard shortcut and the per-site switch.
import { msg, validateMessage } from "../protocol.js";
import { normalizeSettings } from "../settings.js";
import { adapterFor } from "./adapters/index.js";
import { createComposeSession } from "./compose-session.js";
import { watchComposes } from "./compose-watcher.js";

export function isShortcut(e) {
  return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === "KeyP";
}

export async function start({ doc = document, location = doc.location, runtime, storage } = {}) {
  const adapter = adapterFor(location, doc);
  if (!adapter) return null;
  const sessions = new Map(); // editor -> session
  let watcher = null;

  const enable = () => {
    if (watcher) return;
    watcher = watchComposes(doc, adapter, {
      onCompose(compose, isNew) {
        if (isNew) sessions.set(compose.editor, createComposeSession({ doc, adapter, compose, runtime }));
        else sessions.get(compose.editor)?.ensureButton();
      },
      onGone(compose) {
        sessions.get(compose.editor)?.destroy();
        sessions.delete(compose.editor);
      },
    });
  };
  const disable = () => {
    watcher?.stop();
    watcher = null;
  };
  const applySettings = (settings) => (settings.sites[adapter.id] ? enable() : disable());

  const sessionForFocus = () => {
    const active = doc.activeElement;
    for (const [editor, session] of sessions) if (editor === active || editor.contains(active)) return session;
    return sessions.size === 1 ? [...sessions.values()][0] : null;
  };

  doc.addEventListener(
    "keydown",
    (e) => {
      if (!isShortcut(e) || !watcher) return;
      const session = sessionForFocus();
      if (!session) return;
      e.preventDefault();
      e.stopPropagation();
      session.proofread();
    },
    true,
  );
  runtime.onMessage.addListener((m) => {
    if (validateMessage(m).ok && m.type === "shortcut/proofread" && watcher) sessionForFocus()?.proofread();
  });
  storage?.onChanged.addListener((changes, area) => {
    if (area === "sync" && changes.settings) applySettings(normalizeSettings(changes.settings.newValue));
  });

  let settings;
  try {
    const answer = await runtime.sendMessage(msg.settingsGet());
    settings = normalizeSettings(answer?.settings);
  } catch {
    settings = normalizeSettings({});
  }
  applySettings(settings);
  return { adapter, sessions, enable, disable, scan: () => watcher?.scan() };
}
