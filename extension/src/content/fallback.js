// What the panel shows when the proofreader can't be reached or fails. The draft is never touched
// here: the user gets the reason in plain words and a way to proofread it in the web app instead.

import { actionButton } from "./dom.js";

const UNCHANGED = "Your draft is unchanged.";

// Backend messages often say it already ("...; your draft is unchanged."): say it once.
const ending = (text) => (/draft is unchanged\.?$/i.test(text.trim()) ? text : `${text} ${UNCHANGED}`);

/** What the panel says, by the error's kind (protocol.js ERROR_KINDS). */
export function fallbackMessage(error) {
  if (error.code === "empty") return "There is no text of yours to proofread yet.";
  if (error.code === "busy") return `The proofreader is busy. Try again in a moment. ${UNCHANGED}`;
  switch (error.kind) {
    case "not_running":
      return `${error.message} Is it running? ${UNCHANGED}`;
    case "stopped":
    case "extension":
    case "bad_answer":
      return ending(error.message);
    case "server_failed":
      return ending(`The proofreader failed (${error.code}): ${error.message}`);
    default:
      return ending(`The proofreader could not check this draft: ${error.message}`);
  }
}

/**
 * @param {{onOpenWebApp: () => void, onCopy: () => void, onDismiss: () => void}} actions
 */
export function renderFallback(doc, error, actions) {
  const box = doc.createElement("div");
  box.className = "fallback";
  box.setAttribute("role", "alert");
  const p = doc.createElement("p");
  p.className = "error-message";
  p.textContent = fallbackMessage(error);
  box.append(p);
  const buttons = doc.createElement("div");
  buttons.className = "actions";
  const add = (name, label, handler) => buttons.append(actionButton(doc, name, label, handler));
  if (error.code !== "empty") {
    add("open-web-app primary", "Open the web app", actions.onOpenWebApp);
    add("copy", "Copy draft", actions.onCopy);
  }
  add("dismiss", "Dismiss", actions.onDismiss);
  box.append(buttons);
  const note = doc.createElement("p");
  note.className = "note";
  note.textContent = error.code === "empty" ? "" : "The web app opens with your draft filled in; it is also copied to the clipboard.";
  if (note.textContent) box.append(note);
  return box;
}
