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

const failure = (settings, fetchImpl) =>
  proofreadLocal(normalizeSettings(settings), "x", { fetchImpl }).then(
    () => assert.fail("expected a failure"),
    (e) => toErrorInfo(e, "http://127.0.0.1:8000"),
  );

/** A 200 event stream that sends `first`, then loses its connection (the server process died). */
const cutStream = (first) =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(first));
      },
      pull(controller) {
        controller.error(new TypeError("network error"));
      },
    }),
    { headers: { "Content-Type": "text/event-stream" } },
  );

test("an error event in the stream keeps the backend's code; a server failure is not a refusal", async () => {
  const internal = recorder(() => sse([["token", { text: "a" }], ["error", { error: { code: "internal", message: "boom" } }]]));
  assert.deepEqual(await failure({}, internal.fetchImpl), { code: "internal", message: "boom", kind: "server_failed" });
  const upstream = recorder(() => sse([["error", { error: { code: "upstream_unavailable", message: "No Space." } }]]));
  assert.equal((await failure({}, upstream.fetchImpl)).kind, "server_failed");
  const refused = recorder(() => sse([["error", { error: { code: "too_large", message: "Too long." } }]]));
  assert.deepEqual(await failure({}, refused.fetchImpl), { code: "too_large", message: "Too long.", kind: "refused" });
});

test("HTTP errors keep the backend's code and message: 4xx refused, 5xx server failed", async () => {
  const tooLarge = recorder(() => json({ error: { code: "too_large", message: "Too long." } }, 413));
  assert.deepEqual(await failure({}, tooLarge.fetchImpl), { code: "too_large", message: "Too long.", kind: "refused" });
  for (const stream of [true, false]) {
    const broken = recorder(() => json({ error: { code: "internal", message: "Proofreading failed; your draft is unchanged." } }, 500));
    assert.deepEqual(await failure({ stream }, broken.fetchImpl), {
      code: "internal", message: "Proofreading failed; your draft is unchanged.", kind: "server_failed",
    });
  }
  const proxy = recorder(() => new Response("<html>Bad gateway</html>", { status: 502 }));
  assert.deepEqual(await failure({}, proxy.fetchImpl), { code: "http_502", message: "The proofreader answered 502.", kind: "server_failed" });
  const busy = recorder(() => new Response("", { status: 503 }));
  assert.equal((await failure({}, busy.fetchImpl)).code, "busy");
});

test("nothing listening is 'not running'; an abort is cancelled", async () => {
  const refused = async () => {
    throw new TypeError("Failed to fetch");
  };
  for (const stream of [true, false]) {
    assert.deepEqual(await failure({ stream }, refused), {
      code: "unreachable", message: "Could not reach the proofreader at http://127.0.0.1:8000.", kind: "not_running",
    });
  }
  const abort = new DOMException("aborted", "AbortError");
  assert.equal(toErrorInfo(abort, "u").kind, "cancelled");
});

test("a connection lost after the request was sent is 'stopped', not 'not running'", async () => {
  const cut = recorder(() => cutStream(`event: token\ndata: ${JSON.stringify({ text: "Hi " })}\n\n`));
  const tokens = [];
  const err = await proofreadLocal(normalizeSettings({}), "x", { fetchImpl: cut.fetchImpl, onToken: (t) => tokens.push(t) }).catch((e) => e);
  assert.deepEqual(tokens, ["Hi "]);
  assert.deepEqual(toErrorInfo(err, "u"), {
    code: "connection_lost", message: "The proofreader stopped while proofreading this draft.", kind: "stopped",
  });
  const ended = recorder(() => sse([["token", { text: "a" }]])); // closed cleanly, but before the result
  assert.equal((await failure({}, ended.fetchImpl)).kind, "stopped");
  const cutJson = recorder(() => cutStream('{"original": "x", "corr'));
  assert.equal((await failure({ stream: false }, cutJson.fetchImpl)).kind, "stopped");
});

test("an answer that is not the documented shape is a bad answer", async () => {
  const wrongShape = recorder(() => sse([["result", { corrected: "x" }]]));
  assert.deepEqual(await failure({}, wrongShape.fetchImpl), {
    code: "bad_response", message: "The proofreader sent an answer this extension does not understand.", kind: "bad_answer",
  });
  const notJson = recorder(() => new Response("<html>hello</html>", { status: 200 }));
  assert.equal((await failure({ stream: false }, notJson.fetchImpl)).kind, "bad_answer");
  const badEvent = recorder(() => new Response("event: token\ndata: {oops\n\n", { headers: { "Content-Type": "text/event-stream" } }));
  assert.equal((await failure({}, badEvent.fetchImpl)).kind, "bad_answer");
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

test("Space mode: an error event is a server failure, or the refusal its title names", async () => {
  const space = (errorData) =>
    recorder((url) => (url.endsWith("/call/proofread") ? json({ event_id: "e" }) : new Response(`event: error\ndata: ${errorData}\n\n`)));
  const settings = normalizeSettings({ mode: "space" });
  const failed = await proofreadSpace(settings, "Hi", { fetchImpl: space("null").fetchImpl }).catch((e) => toErrorInfo(e, "u"));
  assert.deepEqual([failed.code, failed.kind], ["space_error", "server_failed"]);
  const refusal = JSON.stringify({ error: "The draft is empty: there is nothing to proofread.", title: "Cannot proofread this draft (empty)" });
  const refused = await proofreadSpace(settings, "Hi", { fetchImpl: space(refusal).fetchImpl }).catch((e) => toErrorInfo(e, "u"));
  assert.deepEqual(refused, { code: "empty", message: "The draft is empty: there is nothing to proofread.", kind: "refused" });
});

test("Space health checks that the /proofread endpoint exists", async () => {
  const { fetchImpl } = recorder(() => json({ named_endpoints: { "/proofread": {} } }));
  assert.equal((await healthSpace(normalizeSettings({ mode: "space" }), { fetchImpl })).status, "ok");
});
