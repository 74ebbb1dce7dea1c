import assert from "node:assert/strict";
import { test } from "node:test";
import { fallbackMessage } from "../src/content/fallback.js";
import { ERROR_KINDS, errorInfo } from "../src/protocol.js";

test("each kind of failure is told in its own words, and every one says the draft is unchanged", () => {
  const said = {
    not_running: fallbackMessage(errorInfo("unreachable", "Could not reach the proofreader at http://127.0.0.1:8000.", "not_running")),
    stopped: fallbackMessage(errorInfo("connection_lost", "The proofreader stopped while proofreading this draft.", "stopped")),
    server_failed: fallbackMessage(errorInfo("internal", "Proofreading failed; your draft is unchanged.", "server_failed")),
    bad_answer: fallbackMessage(errorInfo("bad_response", "The proofreader sent an answer this extension does not understand.", "bad_answer")),
    refused: fallbackMessage(errorInfo("too_large", "The draft has 30,000 characters; the limit is 20,000.", "refused")),
  };
  assert.match(said.not_running, /Could not reach .* Is it running\? Your draft is unchanged\.$/);
  assert.equal(said.stopped, "The proofreader stopped while proofreading this draft. Your draft is unchanged.");
  assert.equal(said.server_failed, "The proofreader failed (internal): Proofreading failed; your draft is unchanged.");
  assert.match(said.bad_answer, /does not understand\. Your draft is unchanged\.$/);
  assert.match(said.refused, /^The proofreader could not check this draft: The draft has 30,000 .* Your draft is unchanged\.$/);
  for (const [kind, text] of Object.entries(said)) {
    if (kind !== "not_running") assert.doesNotMatch(text, /Is it running/, kind);
    assert.match(text, /draft is unchanged\.$/i, kind);
  }
});

test("busy and an empty draft keep their own messages", () => {
  assert.match(fallbackMessage(errorInfo("busy", "x", "server_failed")), /busy\. Try again/);
  assert.equal(fallbackMessage(errorInfo("empty", "Nothing to proofread.")), "There is no text of yours to proofread yet.");
});

test("an error info must name a known kind", () => {
  assert.throws(() => errorInfo("x", "y", "unreachable"), TypeError);
  assert.ok(ERROR_KINDS.includes(errorInfo("x", "y").kind));
});
