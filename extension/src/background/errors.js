// Turns whatever went wrong into the protocol's error info, in words a user can act on.
import { errorInfo } from "../protocol.js";

export class BackendError extends Error {
  constructor(code, message, unreachable = false) {
    super(message);
    this.code = code;
    this.unreachable = unreachable;
  }
}

export function toErrorInfo(err, baseUrl) {
  if (err?.name === "AbortError") return errorInfo("cancelled", "Cancelled.");
  if (err instanceof BackendError) return errorInfo(err.code, err.message, err.unreachable);
  // fetch() rejects with a TypeError when the server can't be reached (refused, DNS, CORS, permissions).
  return errorInfo("unreachable", `Could not reach the proofreader at ${baseUrl}.`, true);
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
    // not JSON: keep the generic message
  }
  if (response.status === 503 && code === "http_503") code = "busy";
  // A 5xx means the server is there but failed: still offer the web app.
  return new BackendError(code, message, response.status >= 500);
}
