import assert from "node:assert/strict";
import { test } from "node:test";
import { healthLocal, proofreadLocal } from "../src/background/backend-client.js";
import { toErrorInfo } from "../src/background/errors.js";
import { healthSpace, proofreadSpace, spaceArgs } from "../src/background/space-client.js";
import { normalizeSettings } from "../src/settings.js";
import { sampleResult } from "./helpers/sample-result.js";

const sse = (events) =>
  new Response(events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(""), {
    headers: { "Content-Type": "text/event-stream" },
  });
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function recorder(respond) {
  const calls = [];
  const fetchImpl = async (url, init = {}) => {
    calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined });
    return respond(url, init);
  };
  return { calls, fetchImpl };
}

test("streaming proofread posts the draft and options, relays tokens, returns the result", async () => {
  const { calls, fetchImpl } = recorder(() => sse([["token", { text: "Hi " }], ["token", { text: "Sam" }], ["result", sampleResult()]]));
  const tokens = [];
  const settings = normalizeSettings({ backendUrl: "http://127.0.0.1:9000", maxTokens: 50, apiKey: "k" });
  const result = await proofreadLocal(settings, "Hi Sam", { fetchImpl, onToken: (t) => tokens.push(t) });
  assert.equal(calls[0].url, "http://127.0.0.1:9000/v1/proofread/stream");
  assert.deepEqual(calls[0].body, { text: "Hi Sam", options: { temperature: 0, top_p: 1, max_tokens: 50 } });
  assert.equal(calls[0].init.headers.Authorization, "Bearer k");
  assert.deepEqual(tokens, ["Hi ", "Sam"]);
  assert.equal(result.corrected, sampleResult().corrected);
});

test("non-streaming mode uses /v1/proofread", async () => {
  const { calls, fetchImpl } = recorder(() => json(sampleResult()));
  await proofreadLocal(normalizeSettings({ stream: false }), "x", { fetchImpl });
  assert.equal(calls[0].url, "http://127.0.0.1:8000/v1/proofread");
});

test("an error event in the stream becomes a BackendError with the backend's code", async () => {
  const { fetchImpl } = recorder(() => sse([["token", { text: "a" }], ["error", { error: { code: "internal", message: "boom" } }]]));
  await assert.rejects(proofreadLocal(normalizeSettings({}), "x", { fetchImpl }), (e) => e.code === "internal" && e.unreachable);
});

test("HTTP errors keep the backend's code and message", async () => {
  const { fetchImpl } = recorder(() => json({ error: { code: "too_large", message: "Too long." } }, 413));
  const err = await proofreadLocal(normalizeSettings({}), "x", { fetchImpl }).catch((e) => e);
  assert.deepEqual(toErrorInfo(err, "u"), { code: "too_large", message: "Too long.", unreachable: false });
  const { fetchImpl: busy } = recorder(() => new Response("", { status: 503 }));
  const err2 = await proofreadLocal(normalizeSettings({}), "x", { fetchImpl: busy }).catch((e) => e);
  assert.equal(err2.code, "busy");
});

test("a refused connection is reported as unreachable, an abort as cancelled", async () => {
  const err = await proofreadLocal(normalizeSettings({}), "x", {
    fetchImpl: async () => {
      throw new TypeError("Failed to fetch");
    },
  }).catch((e) => e);
  assert.deepEqual(toErrorInfo(err, "http://127.0.0.1:8000"), {
    code: "unreachable",
    message: "Could not reach the proofreader at http://127.0.0.1:8000.",
    unreachable: true,
  });
  const abort = new DOMException("aborted", "AbortError");
  assert.equal(toErrorInfo(abort, "u").code, "cancelled");
});

test("a stream that ends without a result, or a result of the wrong shape, is an error", async () => {
  const { fetchImpl } = recorder(() => sse([["token", { text: "a" }]]));
  await assert.rejects(proofreadLocal(normalizeSettings({}), "x", { fetchImpl }), (e) => e.code === "incomplete");
  const { fetchImpl: bad } = recorder(() => sse([["result", { corrected: "x" }]]));
  await assert.rejects(proofreadLocal(normalizeSettings({}), "x", { fetchImpl: bad }), (e) => e.code === "bad_response");
});

test("health is read from /v1/health", async () => {
  const { calls, fetchImpl } = recorder(() => json({ status: "ok", model_loaded: true }));
  assert.equal((await healthLocal(normalizeSettings({}), { fetchImpl })).status, "ok");
  assert.equal(calls[0].url, "http://127.0.0.1:8000/v1/health");
});

test("Space mode: POST call/proofread, then the SSE result of that event id", async () => {
  const { calls, fetchImpl } = recorder((url) =>
    url.endsWith("/call/proofread") ? json({ event_id: "abc" }) : new Response(`event: generating\ndata: null\n\nevent: complete\ndata: ${JSON.stringify([sampleResult()])}\n\n`),
  );
  const settings = normalizeSettings({ mode: "space", spaceUrl: "http://127.0.0.1:7860", temperature: 0.3, maxTokens: 0 });
  const result = await proofreadSpace(settings, "Hi", { fetchImpl });
  assert.equal(calls[0].url, "http://127.0.0.1:7860/gradio_api/call/proofread");
  assert.deepEqual(calls[0].body, { data: ["Hi", 0.3, 1, 0] });
  assert.equal(calls[1].url, "http://127.0.0.1:7860/gradio_api/call/proofread/abc");
  assert.equal(result.corrected, sampleResult().corrected);
  assert.deepEqual(spaceArgs(normalizeSettings({ maxTokens: 10 }), "t"), ["t", 0, 1, 10]);
});

test("Space mode: an error event fails plainly", async () => {
  const { fetchImpl } = recorder((url) => (url.endsWith("/call/proofread") ? json({ event_id: "e" }) : new Response("event: error\ndata: null\n\n")));
  await assert.rejects(proofreadSpace(normalizeSettings({ mode: "space" }), "Hi", { fetchImpl }), (e) => e.code === "space_error");
});

test("Space health checks that the /proofread endpoint exists", async () => {
  const { fetchImpl } = recorder(() => json({ named_endpoints: { "/proofread": {} } }));
  assert.equal((await healthSpace(normalizeSettings({ mode: "space" }), { fetchImpl })).status, "ok");
});
