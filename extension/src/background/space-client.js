// Client for the Gradio Space's raw HTTP API (docs/API.md): POST /gradio_api/call/proofread, then an
// SSE GET that ends with `event: complete` and `data: [<Result>]`.
import { isResult } from "../protocol.js";
import { generationOptions } from "../settings.js";
import { BackendError, badAnswer, connect, httpError, readAnswer, stopped } from "./errors.js";
import { readSse } from "./sse.js";

export function spaceArgs(settings, text) {
  const o = generationOptions(settings);
  // The Space's max_tokens is an int; 0 there means "choose from the input length" like null does here.
  return [text, o.temperature, o.top_p, o.max_tokens ?? 0];
}

// The Space puts the refusal's code in the error title: "Cannot proofread this draft (empty)".
const REFUSAL_TITLE = /\((\w+)\)\s*$/;

/** The Space's `event: error`: a refusal of the draft (its title names the code) or a failure. */
function spaceError(data) {
  let payload = null;
  try {
    payload = JSON.parse(data);
  } catch {
    // Gradio sends `null` or nothing for an unexpected failure
  }
  const refusal = REFUSAL_TITLE.exec(String(payload?.title ?? ""));
  if (refusal && payload?.error) return new BackendError(refusal[1], String(payload.error), "refused");
  return new BackendError("space_error", "The Space failed to proofread this draft.", "server_failed");
}

export async function proofreadSpace(settings, text, { signal, fetchImpl = fetch } = {}) {
  const base = settings.spaceUrl;
  const start = await connect(fetchImpl, `${base}/gradio_api/call/proofread`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ data: spaceArgs(settings, text) }),
    signal,
  }, base);
  if (!start.ok) throw await httpError(start);
  const { event_id: eventId } = await readAnswer(() => start.json());
  if (!eventId) throw badAnswer("The Space did not start the job.");
  const res = await connect(fetchImpl, `${base}/gradio_api/call/proofread/${encodeURIComponent(eventId)}`, { signal }, base);
  if (!res.ok) throw await httpError(res);
  let result = null;
  let failure = null;
  await readAnswer(() =>
    readSse(res, ({ event, data }) => {
      if (event === "complete") {
        try {
          const parsed = JSON.parse(data);
          result = Array.isArray(parsed) ? parsed[0] : parsed;
        } catch {
          failure = badAnswer("The Space sent a malformed result.");
        }
        return false;
      }
      if (event === "error") {
        failure = spaceError(data);
        return false;
      }
      return true;
    }),
  );
  if (failure) throw failure;
  if (result === null) throw stopped();
  if (!isResult(result)) throw badAnswer("The Space sent an answer this extension does not understand.");
  return result;
}

export async function healthSpace(settings, { signal, fetchImpl = fetch } = {}) {
  const base = settings.spaceUrl;
  const res = await connect(fetchImpl, `${base}/gradio_api/info`, { signal }, base);
  if (!res.ok) throw await httpError(res);
  const info = await readAnswer(() => res.json());
  const hasProofread = Boolean(info?.named_endpoints?.["/proofread"]);
  return { status: hasProofread ? "ok" : "no /proofread endpoint", space: settings.spaceUrl };
}
