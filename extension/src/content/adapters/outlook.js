// Outlook on the web (outlook.office.com, outlook.live.com, outlook.office365.com).
import { makeAdapter, nearestWith } from "./common.js";

// Send: the primary button of the compose command bar; the English label/title are last resorts.
const SEND_SELECTORS = [
  'button[data-testid="ComposeSendButton"]',
  "button.ms-Button--primary",
  'button[aria-label="Send"]',
  'button[title^="Send"]',
];

const HOSTS = new Set(["outlook.office.com", "outlook.live.com", "outlook.office365.com"]);

export const outlook = makeAdapter({
  id: "outlook",
  label: "Outlook",
  // The host list is what the manifest matches; the cdnUrl meta confirms the page is Outlook's app.
  matchesPage: (location, doc) =>
    HOSTS.has(location.hostname) ||
    Boolean(doc?.querySelector('meta[name="cdnUrl"][content*="cdn.office.net"]')),
  // The body lives in `editorParent_N`; the English aria-label is a fallback for builds without it.
  editorSelectors: [
    'div[id^="editorParent"] div[contenteditable="true"][role="textbox"]',
    'div[id^="editorParent"] div[contenteditable="true"]',
    'div[aria-label^="Message body"][contenteditable="true"]',
  ],
  // The To/Cc/Bcc fields are contenteditable textboxes too: never take one for the body.
  excludeEditor: (el) =>
    el.closest('[role="combobox"], [aria-haspopup="listbox"], [aria-autocomplete]') !== null ||
    el.getAttribute("aria-multiline") === "false",
  // Outlook's compose has no stable container class: the nearest ancestor that holds a Send button.
  composeRootOf: (editor) => nearestWith(editor, SEND_SELECTORS) || editor.parentElement,
  sendSelectors: SEND_SELECTORS,
  sendContainerOf: (send) => send,
  // Reply header and quoted message (#appendonsend marks where the quote starts) and the signature.
  boundarySelector: '#appendonsend, #divRplyFwdMsg, #Signature, [id^="Signature"], #signature, .gmail_quote',
});
