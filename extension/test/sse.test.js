import assert from "node:assert/strict";
import { test } from "node:test";
import { createSseParser, readSse } from "../src/background/sse.js";

test("events split across chunks are reassembled", () => {
  const p = createSseParser();
  assert.deepEqual(p.push('event: token\ndata: {"text"'), []);
  assert.deepEqual(p.push(': "Hi"}\n\nevent: tok'), [{ event: "token", data: '{"text": "Hi"}' }]);
  assert.deepEqual(p.push("en\r\ndata: x\r\n\r\n"), [{ event: "token", data: "x" }]);
});

test("comments are ignored, multi-line data is joined, default event is message", () => {
  const p = createSseParser();
  assert.deepEqual(p.push(": keep-alive\n\ndata: a\ndata: b\n\n"), [{ event: "message", data: "a\nb" }]);
});

test("readSse decodes UTF-8 split inside a character and can stop early", async () => {
  const bytes = new TextEncoder().encode('event: token\ndata: {"text":"😊"}\n\nevent: result\ndata: {}\n\nevent: token\ndata: {}\n\n');
  const body = new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
      c.close();
    },
  });
  const seen = [];
  await readSse(new Response(body), (ev) => {
    seen.push(ev);
    return ev.event !== "result";
  });
  assert.deepEqual(seen, [
    { event: "token", data: '{"text":"😊"}' },
    { event: "result", data: "{}" },
  ]);
});
