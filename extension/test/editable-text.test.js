import assert from "node:assert/strict";
import { test } from "node:test";
import { getOwnText, planReplacement, readLines, splitOwnText } from "../src/content/adapters/editable-text.js";
import { htmlPage } from "./helpers/dom.js";

const text = (html, boundary = () => false) => {
  const { document } = htmlPage(`<div id=e contenteditable=true>${html}</div>`);
  return getOwnText(document.getElementById("e"), boundary);
};

test("line structure: divs, brs and blank lines become newline-separated text", () => {
  assert.equal(text("<div>a</div><div>b</div>"), "a\nb");
  assert.equal(text("a<div>b</div><div>c</div>"), "a\nb\nc"); // Gmail: first line is a bare text node
  assert.equal(text("<div>a</div><div><br></div><div>b</div>"), "a\n\nb");
  assert.equal(text("a<br>b<br><br>c"), "a\nb\n\nc");
  assert.equal(text("<div>a<br></div><div>b</div>"), "a\nb");
  assert.equal(text("<p>a</p><p>b</p>"), "a\nb");
  assert.equal(text("<div><div>a</div></div><div>b</div>"), "a\nb");
  assert.equal(text("<div><b>bold</b> and <i>it</i></div>"), "bold and it");
});

test("no-break spaces become spaces; source indentation between blocks is ignored", () => {
  assert.equal(text("<div>a&nbsp; b</div>"), "a  b");
  assert.equal(text("\n  <div>a</div>\n  <div>b</div>\n"), "a\nb");
});

test("blank lines before and after the own text are trimmed", () => {
  assert.equal(text("<div><br></div><div>a</div><div><br></div><div><br></div>"), "a");
});

test("reading stops at the first boundary element, even nested", () => {
  const isQuote = (el) => el.classList.contains("q");
  assert.equal(text("<div>mine</div><div class=q>theirs</div><div>after</div>", isQuote), "mine");
  assert.equal(text("<div dir=ltr><div>mine</div><div class=q>theirs</div></div>", isQuote), "mine");
});

test("each non-blank line knows where it starts and ends in the DOM", () => {
  const { document } = htmlPage("<div id=e>x<div>hello <b>you</b></div><div><br></div></div>");
  const lines = readLines(document.getElementById("e"));
  assert.deepEqual(lines.map((l) => l.text), ["x", "hello you", ""]);
  assert.equal(lines[1].start.node.data, "hello ");
  assert.equal(lines[1].end.node.data, "you");
  assert.equal(lines[1].end.offset, 3);
  assert.equal(lines[2].start, null);
});

test("only the lines that differ are replaced", () => {
  assert.deepEqual(planReplacement(["a", "b", "c"], ["a", "B", "c"]), { unchanged: false, from: 1, to: 2, replacement: ["B"] });
  assert.deepEqual(planReplacement(["a", "b"], ["a", "b"]).unchanged, true);
  assert.deepEqual(planReplacement(["a", "", "c"], ["a", "c"]), { unchanged: false, from: 1, to: 2, replacement: [] });
  assert.deepEqual(planReplacement(["a", "a"], ["a", "a", "a"]), { unchanged: false, from: 2, to: 2, replacement: ["a"] });
  assert.deepEqual(splitOwnText("\n\nHi\r\nthere\n\n"), ["Hi", "there"]);
});
