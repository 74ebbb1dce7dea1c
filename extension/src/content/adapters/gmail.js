// Gmail (mail.google.com). Selectors are structural or attribute-based, never translated labels
// (the body's aria-label "Message Body" and Send's tooltip change with the UI language).
import { makeAdapter } from "./common.js";

export const gmail = makeAdapter({
  id: "gmail",
  label: "Gmail",
  matchesPage: (location) => location.hostname === "mail.google.com",
  // The compose body; the same element in new messages, pop-outs and inline replies.
  editorSelectors: ['div[g_editable="true"][role="textbox"][contenteditable="true"]'],
  // `.M9` wraps a compose window or an inline reply; the dialog/table fallbacks cover layout variants.
  composeRootOf: (editor) => editor.closest(".M9") || editor.closest('[role="dialog"]') || editor.closest("table") || editor.parentElement,
  // Send: `.aoO` is its stable class; the English tooltip is only a last resort.
  sendSelectors: ['div.T-I.aoO[role="button"]', '[role="button"][data-tooltip^="Send"]'],
  // Put the button after Send's wrapper so it sits beside Send in the bottom toolbar.
  sendContainerOf: (send) => (send.parentElement?.classList.contains("btA") ? send.parentElement : send),
  // Quoted reply / forward, the signature and its "-- " prefix: not the user's own new text.
  boundarySelector: ".gmail_quote, .gmail_signature, .gmail_signature_prefix, .gmail_extra, [data-smartmail='gmail_signature']",
});
