// Turns whatever went wrong into the protocol's error info (code, words, kind), in words a user can act on.
import { errorInfo } from "../protocol.js";

export class BackendError extends Error {
  constructor(code, message, kind) {
    super(message);
    this.code = code;
    this.kind = kind;
  }
}

const notRunning = (baseUrl) =>
  new BackendError("unreachable", `Could not reach the proofreader at ${baseUrl}.`, "not_running");

export function toErrorInfo(err, baseUrl) {
  if (err?.name === "AbortError") return errorInfo("cancelled", "Cancelled.", "cancelled");
  const known = err instanceof BackendError ? err : notRunning(baseUrl);
  return errorInfo(known.code, known.message, known.kind);
}

/** fetch(), with a failure to connect told apart from everything after it. */
export async function connect(fetchImpl, url, init, baseUrl) {
  try {
    return await fetchImpl(url, init);
  } catch (err) {
    if (err?.name === "AbortError") throw err;
    // fetch() rejects with a TypeError when nothing answers (refused, DNS, CORS, permissions). It also does
    // when a server dies before its first byte, which in non-streaming mode is the whole wait: there a crash
    // mid-proofread reads as "not running". The stream sends its headers at once, so it tells them apart.
    throw notRunning(baseUrl);
  }
}

/** Reads an answer whose request was sent: a lost connection now means the backend stopped mid-request. */
export async function readAnswer(read) {
  try {
    return await read();
  } catch (err) {
    if (err?.name === "AbortError" || err instanceof BackendError) throw err;
    if (err instanceof SyntaxError) throw badAnswer("The proofreader sent an answer this extension does not understand.");
    throw stopped();
  }
}

export const stopped = () =>
  new BackendError("connection_lost", "The proofreader stopped while proofreading this draft.", "stopped");

export const badAnswer = (message) => new BackendError("bad_response", message, "bad_answer");

// Error codes the backend sends when it, not the draft, failed (docs/API.md).
const SERVER_FAILURES = new Set(["internal", "upstream_unavailable", "busy"]);

/** The kind of a backend error code that arrived without a status (an `error` event of the stream). */
export function kindOfCode(code) {
  return SERVER_FAILURES.has(code) ? "server_failed" : "refused";
}

/** Error from an HTTP answer that is not 2xx, using the backend's `{"error": {code, message}}` body. */
export async function httpError(response) {
  let code = `http_${response.status}`;
  let message = `The proofreader answered ${response.status}.`;
  try {
    const body = await response.json();
    if (body?.error?.code) code = String(body.error.code);
    if (body?.error?.message) message = String(body.error.message);
  } catch {
    // not JSON, or the body was cut: keep the generic message
  }
  if (response.status === 503 && code === "http_503") code = "busy";
  return new BackendError(code, message, response.status >= 500 ? "server_failed" : "refused");
}
