// Client for the Gradio Space's raw HTTP API (docs/API.md): POST /gradio_api/call/proofread, then an
// SSE GET that ends with `event: complete` and `data: [<Result>]`.
import { isResult } from "../protocol.js";
import { generationOptions } from "../settings.js";
import { BackendError, httpError } from "./errors.js";
import { readSse } from "./sse.js";

export function spaceArgs(settings, text) {
  const o = generationOptions(settings);
  // The Space's max_tokens is an int; 0 there means "choose from the input length" like null does here.
  return [text, o.temperature, o.top_p, o.max_tokens ?? 0];
}

export async function proofreadSpace(settings, text, { signal, fetchImpl = fetch } = {}) {
  const base = settings.spaceUrl;
  const start = await fetchImpl(`${base}/gradio_api/call/proofread`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ data: spaceArgs(settings, text) }),
    signal,
  });
  if (!start.ok) throw await httpError(start);
  const { event_id: eventId } = await start.json();
  if (!eventId) throw new BackendError("bad_response", "The Space did not start the job.", true);
  const res = await fetchImpl(`${base}/gradio_api/call/proofread/${encodeURIComponent(eventId)}`, { signal });
  if (!res.ok) throw await httpError(res);
  let result = null;
  let failure = null;
  await readSse(res, ({ event, data }) => {
    if (event === "complete") {
      try {
        const parsed = JSON.parse(data);
        result = Array.isArray(parsed) ? parsed[0] : parsed;
      } catch {
        failure = new BackendError("bad_response", "The Space sent a malformed result.", true);
      }
      return false;
    }
    if (event === "error") {
      failure = new BackendError("space_error", "The Space failed to proofread this draft.", true);
      return false;
    }
    return true;
  });
  if (failure) throw failure;
  if (!isResult(result)) throw new BackendError("bad_response", "The Space sent an answer this extension does not understand.", true);
  return result;
}

export async function healthSpace(settings, { signal, fetchImpl = fetch } = {}) {
  const res = await fetchImpl(`${settings.spaceUrl}/gradio_api/info`, { signal });
  if (!res.ok) throw await httpError(res);
  const info = await res.json();
  const hasProofread = Boolean(info?.named_endpoints?.["/proofread"]);
  return { status: hasProofread ? "ok" : "no /proofread endpoint", space: settings.spaceUrl };
}
