import assert from "node:assert/strict";
import { test } from "node:test";
import { changeCount, renderDiff, textWithRejections } from "../src/content/diff-view.js";
import { formatScore, reasonText, renderScores } from "../src/content/scores-view.js";
import { htmlPage } from "./helpers/dom.js";
import { sampleResult } from "./helpers/sample-result.js";

const diff = [
  { op: "equal", original: "Their ", corrected: "Their " },
  { op: "replace", original: "is", corrected: "are" },
  { op: "equal", original: " two", corrected: " two" },
  { op: "insert", original: "", corrected: "," },
  { op: "equal", original: " problems", corrected: " problems" },
  { op: "delete", original: " really", corrected: "" },
  { op: "equal", original: ".", corrected: "." },
];

test("applying all changes gives the correction; rejecting one keeps its original", () => {
  assert.equal(changeCount(diff), 3);
  assert.equal(textWithRejections(diff), "Their are two, problems.");
  assert.equal(textWithRejections(diff, new Set([1])), "Their is two, problems.");
  assert.equal(textWithRejections(diff, new Set([1, 3, 5])), "Their is two problems really.");
  // rejecting an "equal" index changes nothing
  assert.equal(textWithRejections(diff, new Set([0])), "Their are two, problems.");
});

test("the diff marks deletions and insertions and offers a reject toggle per change", () => {
  const win = htmlPage("<div id=out></div>");
  const out = win.document.getElementById("out");
  const toggled = [];
  out.append(renderDiff(win.document, diff, new Set([5]), (i) => toggled.push(i)));
  assert.deepEqual([...out.querySelectorAll("del")].map((d) => d.textContent), ["is", " really"]);
  assert.deepEqual([...out.querySelectorAll("ins")].map((d) => d.textContent), ["are", ","]);
  const changes = out.querySelectorAll(".change");
  assert.equal(changes.length, 3);
  assert.equal(out.querySelector('.change[data-index="5"]').classList.contains("rejected"), true);
  assert.equal(out.querySelector('.change[data-index="5"] .reject').getAttribute("aria-pressed"), "true");
  out.querySelector('.change[data-index="3"] .reject').click();
  assert.deepEqual(toggled, [3]);
  // the visible text of equal segments is the draft's own text
  assert.equal([...out.querySelectorAll(".seg-equal")].map((s) => s.textContent).join(""), "Their  two problems.");
});

test("scores show emoji, label and value before and after, with politeness reasons", () => {
  const win = htmlPage("");
  const r = sampleResult();
  const table = renderScores(win.document, r.scores_before, r.scores_after);
  const pol = table.querySelector('tr[data-kind="politeness"]');
  assert.match(pol.querySelector(".before").textContent, /^🙂 neutral \(40%\)/);
  assert.match(pol.querySelector(".after").textContent, /^😊 polite \(80%\)/);
  assert.equal(pol.querySelector(".before li.rude").textContent, "− direct command “send”");
  assert.equal(formatScore("sentiment", r.scores_after.sentiment), "🙂 positive (+0.20)");
  // the email rating shows when the backend sends one (texts of 30+ words), and never on sentiment
  assert.equal(formatScore("politeness", { ...r.scores_after.politeness, rating: 3.46 }), "😊 polite (80%; rated 3.5/5)");
  assert.equal(formatScore("politeness", { ...r.scores_after.politeness, rating: null }), "😊 polite (80%)");
  assert.equal(reasonText({ strategy: "please", effect: "polite", present: false, evidence: "" }), "○ please (missing)");
});
