// The one message protocol between the content scripts, the options page and the background worker.
// Every message is a plain object with a `type` from MESSAGE_TYPES (a discriminated union). Both ends
// validate what they receive with `validateMessage`, so a malformed or foreign message is dropped, not
// half-handled. Messages carry the draft only where the request needs it (proofread/start, fallback/open)
// and nothing here logs them.

export const PORT_NAME = "proofread";

/** Field checks per message type: name -> predicate. */
const isString = (v) => typeof v === "string";
const isNonEmptyString = (v) => typeof v === "string" && v.length > 0;
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isBoolean = (v) => typeof v === "boolean";
const isOptionalObject = (v) => v === undefined || isObject(v);

/**
 * How a request failed; it decides what the panel says and the options page shows.
 *   not_running   nothing answered at the address (refused, DNS, blocked): is the backend running?
 *   stopped       the connection was lost after the request was sent: the backend stopped (or crashed)
 *                 while proofreading
 *   server_failed the backend answered with a server error (5xx, or an internal/upstream error event)
 *   bad_answer    the answer is not what docs/API.md describes
 *   refused       the backend refused this draft or request (4xx: empty, too large, HTML, API key)
 *   extension     the extension itself (reloaded under the page, its background worker gone)
 *   cancelled     the user closed the panel, or a health check timed out
 */
export const ERROR_KINDS = ["not_running", "stopped", "server_failed", "bad_answer", "refused", "extension", "cancelled"];

const isErrorInfo = (v) =>
  isObject(v) && isNonEmptyString(v.code) && isString(v.message) && ERROR_KINDS.includes(v.kind);

const isDiffSegment = (s) =>
  isObject(s) &&
  ["equal", "insert", "delete", "replace"].includes(s.op) &&
  isString(s.original) &&
  isString(s.corrected);

const isScore = (s) => isObject(s) && typeof s.value === "number" && isString(s.label) && isString(s.emoji);
const isScores = (s) => isObject(s) && isScore(s.sentiment) && isScore(s.politeness);

/** The backend's `Result` (docs/API.md), checked as far as the UI relies on it. */
export function isResult(r) {
  return (
    isObject(r) &&
    isString(r.original) &&
    isString(r.corrected) &&
    Array.isArray(r.diff) &&
    r.diff.every(isDiffSegment) &&
    isScores(r.scores_before) &&
    isScores(r.scores_after)
  );
}

export const MESSAGE_TYPES = {
  // content -> background, over a long-lived port named PORT_NAME (one port per proofread)
  "proofread/start": { requestId: isNonEmptyString, text: isNonEmptyString, site: isNonEmptyString },
  "proofread/cancel": { requestId: isNonEmptyString },
  // Sent every 15 s while waiting: an incoming event keeps Chrome from stopping an idle service
  // worker (30 s) in the middle of a slow, non-streamed request.
  "proofread/keepalive": { requestId: isNonEmptyString },
  // background -> content, over the same port. A token is a piece of the correction that the backend's
  // guards have accepted (its part of the email is done): the panel can show it as it comes.
  "proofread/token": { requestId: isNonEmptyString, text: isString },
  "proofread/result": { requestId: isNonEmptyString, result: isResult },
  "proofread/error": { requestId: isNonEmptyString, error: isErrorInfo },
  // one-shot requests (runtime.sendMessage) and their answers
  "settings/get": {},
  "settings/value": { settings: isObject },
  "health/check": { settings: isOptionalObject },
  "health/value": { ok: isBoolean, health: isOptionalObject, error: (v) => v === undefined || isErrorInfo(v) },
  "fallback/open": { text: isString },
  "fallback/opened": { url: isString },
  // background -> content (tabs.sendMessage), from the keyboard shortcut command
  "shortcut/proofread": {},
};

/** @returns {{ok: true} | {ok: false, reason: string}} */
export function validateMessage(msg) {
  if (!isObject(msg)) return { ok: false, reason: "not an object" };
  const fields = MESSAGE_TYPES[msg.type];
  if (!fields) return { ok: false, reason: `unknown type ${String(msg.type)}` };
  for (const [name, check] of Object.entries(fields)) {
    if (!check(msg[name])) return { ok: false, reason: `${msg.type}: bad field ${name}` };
  }
  return { ok: true };
}

function make(type, fields = {}) {
  const msg = { type, ...fields };
  const v = validateMessage(msg);
  if (!v.ok) throw new TypeError(v.reason);
  return msg;
}

// Constructors: the only way the code builds messages, so a typo in a type fails at once.
export const msg = {
  proofreadStart: (requestId, text, site) => make("proofread/start", { requestId, text, site }),
  proofreadCancel: (requestId) => make("proofread/cancel", { requestId }),
  proofreadKeepalive: (requestId) => make("proofread/keepalive", { requestId }),
  proofreadToken: (requestId, text) => make("proofread/token", { requestId, text }),
  proofreadResult: (requestId, result) => make("proofread/result", { requestId, result }),
  proofreadError: (requestId, error) => make("proofread/error", { requestId, error }),
  settingsGet: () => make("settings/get"),
  settingsValue: (settings) => make("settings/value", { settings }),
  healthCheck: (settings) => make("health/check", settings ? { settings } : {}),
  healthValue: (ok, health, error) =>
    make("health/value", { ok, ...(health ? { health } : {}), ...(error ? { error } : {}) }),
  fallbackOpen: (text) => make("fallback/open", { text }),
  fallbackOpened: (url) => make("fallback/opened", { url }),
  shortcutProofread: () => make("shortcut/proofread"),
};

/** An error as the UI shows it: a code (the backend's, or the extension's own), words, and a kind (ERROR_KINDS). */
export function errorInfo(code, message, kind = "refused") {
  if (!ERROR_KINDS.includes(kind)) throw new TypeError(`unknown error kind ${kind}`);
  return { code: String(code), message: String(message), kind };
}

let counter = 0;
export function newRequestId() {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
