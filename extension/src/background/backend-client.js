// Client for our backend's HTTP API (docs/API.md): /v1/proofread, /v1/proofread/stream, /v1/health.
import { isResult } from "../protocol.js";
import { generationOptions } from "../settings.js";
import { BackendError, badAnswer, connect, httpError, kindOfCode, readAnswer, stopped } from "./errors.js";
import { readSse } from "./sse.js";

function headers(settings) {
  const h = { "Content-Type": "application/json" };
  if (settings.apiKey) h.Authorization = `Bearer ${settings.apiKey}`;
  return h;
}

function checkedResult(data) {
  if (!isResult(data)) throw badAnswer("The proofreader sent an answer this extension does not understand.");
  return data;
}

/**
 * Proofreads `text`. With settings.stream, tokens are passed to onToken as they arrive.
 * @returns {Promise<object>} the backend's Result
 */
export async function proofreadLocal(settings, text, { onToken = () => {}, signal, fetchImpl = fetch } = {}) {
  const base = settings.backendUrl;
  const init = { method: "POST", headers: headers(settings), body: JSON.stringify({ text, options: generationOptions(settings) }), signal };
  if (!settings.stream) {
    const res = await connect(fetchImpl, `${base}/v1/proofread`, init, base);
    if (!res.ok) throw await httpError(res);
    return checkedResult(await readAnswer(() => res.json()));
  }
  const res = await connect(fetchImpl, `${base}/v1/proofread/stream`, init, base);
  if (!res.ok) throw await httpError(res);
  let result = null;
  let failure = null;
  await readAnswer(() =>
    readSse(res, ({ event, data }) => {
      let payload;
      try {
        payload = JSON.parse(data);
      } catch {
        failure = badAnswer("The proofreader sent a malformed stream.");
        return false;
      }
      if (event === "token") onToken(String(payload?.text ?? ""));
      else if (event === "result") {
        result = payload;
        return false;
      } else if (event === "error") {
        const code = String(payload?.error?.code || "internal");
        failure = new BackendError(code, String(payload?.error?.message || "Proofreading failed."), kindOfCode(code));
        return false;
      }
      return true;
    }),
  );
  if (failure) throw failure;
  if (!result) throw stopped(); // the stream ended without its result: the server went away mid-request
  return checkedResult(result);
}

export async function healthLocal(settings, { signal, fetchImpl = fetch } = {}) {
  const base = settings.backendUrl;
  const res = await connect(fetchImpl, `${base}/v1/health`, { headers: headers(settings), signal }, base);
  if (!res.ok) throw await httpError(res);
  return readAnswer(() => res.json());
}
