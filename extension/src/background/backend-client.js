// Client for our backend's HTTP API (docs/API.md): /v1/proofread, /v1/proofread/stream, /v1/health.
import { isResult } from "../protocol.js";
import { generationOptions } from "../settings.js";
import { BackendError, httpError } from "./errors.js";
import { readSse } from "./sse.js";

function headers(settings) {
  const h = { "Content-Type": "application/json" };
  if (settings.apiKey) h.Authorization = `Bearer ${settings.apiKey}`;
  return h;
}

function checkedResult(data) {
  if (!isResult(data)) throw new BackendError("bad_response", "The proofreader sent an answer this extension does not understand.", true);
  return data;
}

/**
 * Proofreads `text`. With settings.stream, tokens are passed to onToken as they arrive.
 * @returns {Promise<object>} the backend's Result
 */
export async function proofreadLocal(settings, text, { onToken = () => {}, signal, fetchImpl = fetch } = {}) {
  const body = JSON.stringify({ text, options: generationOptions(settings) });
  if (!settings.stream) {
    const res = await fetchImpl(`${settings.backendUrl}/v1/proofread`, { method: "POST", headers: headers(settings), body, signal });
    if (!res.ok) throw await httpError(res);
    return checkedResult(await res.json());
  }
  const res = await fetchImpl(`${settings.backendUrl}/v1/proofread/stream`, { method: "POST", headers: headers(settings), body, signal });
  if (!res.ok) throw await httpError(res);
  let result = null;
  let failure = null;
  await readSse(res, ({ event, data }) => {
    let payload;
    try {
      payload = JSON.parse(data);
    } catch {
      failure = new BackendError("bad_response", "The proofreader sent a malformed stream.", true);
      return false;
    }
    if (event === "token") onToken(String(payload?.text ?? ""));
    else if (event === "result") {
      result = payload;
      return false;
    } else if (event === "error") {
      failure = new BackendError(payload?.error?.code || "internal", payload?.error?.message || "Proofreading failed.", true);
      return false;
    }
    return true;
  });
  if (failure) throw failure;
  if (!result) throw new BackendError("incomplete", "The proofreader stopped before sending a result.", true);
  return checkedResult(result);
}

export async function healthLocal(settings, { signal, fetchImpl = fetch } = {}) {
  const res = await fetchImpl(`${settings.backendUrl}/v1/health`, { headers: headers(settings), signal });
  if (!res.ok) throw await httpError(res);
  return res.json();
}
