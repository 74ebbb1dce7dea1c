// One compose window's Proofread flow: read the user's own text, ask the background worker over a
// port, show the panel, and apply the accepted changes. The draft is only changed by Apply.
import { PORT_NAME, errorInfo, msg, newRequestId, validateMessage } from "../protocol.js";
import { splitOwnText } from "./adapters/editable-text.js";
import { createButton, placeButton } from "./button.js";
import { createPanel } from "./panel.js";

const normalize = (text) => text.replace(/\u00a0/g, " ").replace(/\r\n?/g, "\n");

export function createComposeSession({ doc, adapter, compose, runtime }) {
  let port = null;
  let requestId = null;
  let panel = null;
  let keepalive = null;
  const KEEPALIVE_MS = 15000;
  const button = createButton(doc, () => proofread());

  const ensureButton = () => {
    if (button.host.isConnected) return;
    placeButton(button.host, adapter.buttonAnchor(compose));
  };

  const getPanel = () => {
    if (!panel) {
      panel = createPanel(doc, { anchor: () => (compose.root?.isConnected ? compose.root : compose.editor) });
      panel.onClose = () => close();
    }
    return panel;
  };

  const stopRequest = (sendCancel) => {
    doc.defaultView.clearInterval(keepalive);
    keepalive = null;
    if (port) {
      if (sendCancel && requestId) {
        try {
          port.postMessage(msg.proofreadCancel(requestId));
        } catch {
          // port already gone
        }
      }
      port.disconnect();
    }
    port = null;
    requestId = null;
    button.setBusy(false);
  };

  const close = () => {
    stopRequest(true);
    panel?.remove();
  };

  const copy = async (text) => {
    try {
      await doc.defaultView.navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Clipboard API refused (no focus, or no permission): fall back to a hidden textarea in the panel.
      const area = doc.createElement("textarea");
      area.value = text;
      area.style.cssText = "position:fixed;left:-9999px;top:0;";
      (panel?.shadow ?? doc.body).append(area);
      area.select();
      let ok = false;
      try {
        ok = doc.execCommand("copy");
      } catch {
        // no editing commands here (not a real browser)
      }
      area.remove();
      return ok;
    }
  };

  // `sent` is the draft as it was sent (not the backend's echo of it, which may be normalised).
  const apply = (sent, text) => {
    const current = normalize(adapter.getOwnText(compose.editor));
    if (current !== normalize(sent)) {
      getPanel().showNotice("The draft changed after it was proofread, so nothing was applied. Proofread again.");
      return false;
    }
    const done = adapter.replaceOwnText(compose.editor, text);
    const after = normalize(adapter.getOwnText(compose.editor));
    if (!done || after !== splitOwnText(normalize(text)).join("\n")) {
      getPanel().showNotice("The page did not take the change exactly as shown. Press Ctrl+Z to undo it if needed.");
      return false;
    }
    close();
    return true;
  };

  const showError = (error, draft) => {
    getPanel().showError(error, {
      onOpenWebApp: () => {
        copy(draft);
        runtime.sendMessage(msg.fallbackOpen(draft)).catch(() => {});
      },
      onCopy: () => copy(draft),
      onDismiss: () => close(),
    });
  };

  function proofread() {
    if (port) return; // already running for this compose
    const draft = adapter.getOwnText(compose.editor);
    if (!draft.trim()) {
      showError(errorInfo("empty", "Nothing to proofread."), draft);
      return;
    }
    requestId = newRequestId();
    const id = requestId;
    button.setBusy(true);
    getPanel().showLoading({ onCancel: () => close() });
    try {
      port = runtime.connect({ name: PORT_NAME });
    } catch {
      // The extension was reloaded or updated under this page.
      port = null;
      button.setBusy(false);
      showError(errorInfo("extension_reloaded", "The extension was updated. Reload this page to proofread.", "extension"), draft);
      return;
    }
    port.onMessage.addListener((m) => {
      if (!validateMessage(m).ok || m.requestId !== id) return;
      if (m.type === "proofread/token") panel.appendToken(m.text);
      else if (m.type === "proofread/result") {
        stopRequest(false);
        panel.showResult(m.result, {
          onApply: (text) => apply(draft, text),
          onCopy: (text) => copy(text),
          onDismiss: () => close(),
        });
      } else if (m.type === "proofread/error") {
        stopRequest(false);
        showError(m.error, draft);
      }
    });
    port.onDisconnect.addListener(() => {
      if (requestId !== id) return;
      port = null;
      stopRequest(false);
      showError(errorInfo("disconnected", "The extension's background worker stopped.", "extension"), draft);
    });
    port.postMessage(msg.proofreadStart(id, draft, adapter.id));
    keepalive = doc.defaultView.setInterval(() => {
      try {
        port?.postMessage(msg.proofreadKeepalive(id));
      } catch {
        // disconnected: onDisconnect reports it
      }
    }, KEEPALIVE_MS);
  }

  ensureButton();
  return {
    compose,
    button,
    proofread,
    ensureButton,
    get panel() {
      return panel;
    },
    destroy() {
      close();
      button.host.remove();
    },
  };
}
