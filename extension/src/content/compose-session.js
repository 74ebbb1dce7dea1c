// One compose window's Proofread flow: read the user's own text, ask the background worker
// (proofread-request.js), show the panel, and apply the accepted changes. The draft is only changed by Apply.
import { errorInfo, msg } from "../protocol.js";
import { splitOwnText } from "./adapters/editable-text.js";
import { createButton, placeButton } from "./button.js";
import { copyText } from "./dom.js";
import { createPanel } from "./panel.js";
import { startProofread } from "./proofread-request.js";

const normalize = (text) => text.replace(/\u00a0/g, " ").replace(/\r\n?/g, "\n");

/**
 * Puts `text` into the compose if the draft is still the one that was `sent` for proofreading.
 * @returns {string | null} why nothing (or not exactly that) was applied, or null when it was
 */
function applyCorrection(adapter, editor, sent, text) {
  if (normalize(adapter.getOwnText(editor)) !== normalize(sent)) {
    return "The draft changed after it was proofread, so nothing was applied. Proofread again.";
  }
  const done = adapter.replaceOwnText(editor, text);
  if (!done || normalize(adapter.getOwnText(editor)) !== splitOwnText(normalize(text)).join("\n")) {
    return "The page did not take the change exactly as shown. Press Ctrl+Z to undo it if needed.";
  }
  return null;
}

export function createComposeSession({ doc, adapter, compose, runtime }) {
  let request = null; // the running proofread, if any
  let panel = null;
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
    request?.stop(sendCancel);
    request = null;
    button.setBusy(false);
  };

  const close = () => {
    stopRequest(true);
    panel?.remove();
  };

  const copy = (text) => copyText(doc, text, panel?.shadow ?? doc.body);

  // `sent` is the draft as it was sent (not the backend's echo of it, which may be normalised).
  const apply = (sent, text) => {
    const notice = applyCorrection(adapter, compose.editor, sent, text);
    if (notice) {
      getPanel().showNotice(notice);
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
    if (request) return; // already running for this compose
    const draft = adapter.getOwnText(compose.editor);
    if (!draft.trim()) {
      showError(errorInfo("empty", "Nothing to proofread."), draft);
      return;
    }
    button.setBusy(true);
    getPanel().showLoading({ onCancel: () => close() });
    request = startProofread({
      win: doc.defaultView,
      runtime,
      draft,
      site: adapter.id,
      onToken: (text) => panel.appendToken(text),
      onResult: (result) => {
        stopRequest(false);
        panel.showResult(result, {
          onApply: (text) => apply(draft, text),
          onCopy: (text) => copy(text),
          onDismiss: () => close(),
        });
      },
      onError: (error) => {
        stopRequest(false);
        showError(error, draft);
      },
    });
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
