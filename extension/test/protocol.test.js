import assert from "node:assert/strict";
import { test } from "node:test";
import { MESSAGE_TYPES, errorInfo, isResult, msg, newRequestId, validateMessage } from "../src/protocol.js";
import { sampleResult } from "./helpers/sample-result.js";

test("every constructor builds a message that validates", () => {
  const built = [
    msg.proofreadStart("r1", "Hello", "gmail"),
    msg.proofreadCancel("r1"),
    msg.proofreadKeepalive("r1"),
    msg.proofreadToken("r1", "He"),
    msg.proofreadResult("r1", sampleResult()),
    msg.proofreadError("r1", errorInfo("unreachable", "down", "not_running")),
    msg.settingsGet(),
    msg.settingsValue({ mode: "local" }),
    msg.healthCheck(),
    msg.healthCheck({ mode: "local" }),
    msg.healthValue(true, { status: "ok" }),
    msg.healthValue(false, undefined, errorInfo("timeout", "slow", "not_running")),
    msg.fallbackOpen("draft"),
    msg.fallbackOpened("http://127.0.0.1:7860"),
    msg.shortcutProofread(),
  ];
  for (const m of built) assert.deepEqual(validateMessage(m), { ok: true }, m.type);
  assert.deepEqual(new Set(built.map((m) => m.type)), new Set(Object.keys(MESSAGE_TYPES)));
});

test("unknown types, non-objects and missing fields are rejected", () => {
  assert.equal(validateMessage(null).ok, false);
  assert.equal(validateMessage("proofread/start").ok, false);
  assert.equal(validateMessage({ type: "proofread/explode" }).ok, false);
  assert.match(validateMessage({ type: "proofread/start", requestId: "r", site: "gmail" }).reason, /text/);
  assert.match(validateMessage({ type: "proofread/start", requestId: "r", text: "", site: "gmail" }).reason, /text/);
  assert.match(validateMessage({ type: "proofread/error", requestId: "r", error: { code: "x" } }).reason, /error/);
});

test("constructors throw on bad input instead of sending a malformed message", () => {
  assert.throws(() => msg.proofreadStart("", "text", "gmail"), TypeError);
  assert.throws(() => msg.proofreadResult("r1", { corrected: "x" }), TypeError);
});

test("a result must carry the diff and both score sets", () => {
  assert.equal(isResult(sampleResult()), true);
  const noScores = { ...sampleResult(), scores_after: undefined };
  assert.equal(isResult(noScores), false);
  const badDiff = { ...sampleResult(), diff: [{ op: "move", original: "", corrected: "" }] };
  assert.equal(isResult(badDiff), false);
});

test("request ids are unique", () => {
  const ids = new Set(Array.from({ length: 200 }, newRequestId));
  assert.equal(ids.size, 200);
});
