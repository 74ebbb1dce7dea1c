// The text model shared by the site adapters: read the user's own lines out of a contenteditable
// compose body (stopping at the quoted reply or the signature), and replace them so that one Ctrl+Z
// restores the original.

const BLOCKS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION", "FIGURE",
  "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P", "PRE",
  "SECTION", "TABLE", "TBODY", "TD", "TFOOT", "TH", "THEAD", "TR", "UL",
]);
const SKIPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IMG", "svg", "SVG", "OBJECT", "IFRAME"]);

const isBlock = (node) => node?.nodeType === 1 && BLOCKS.has(node.nodeName.toUpperCase());

/** Text of a text node as rendered in normal white-space: runs collapse, no-break spaces are spaces. */
function renderedText(node) {
  const raw = node.data;
  if (/^[ \t\r\n]*$/.test(raw)) {
    // Whitespace between blocks (source indentation) renders as nothing.
    if (/[\r\n]/.test(raw) || isBlock(node.previousSibling) || isBlock(node.nextSibling)) return "";
    if (!node.previousSibling || !node.nextSibling) return "";
  }
  return raw.replace(/[ \t\r\n]+/g, " ").replace(/\u00a0/g, " ");
}

/**
 * Reads the editor as lines, stopping at the first element for which isBoundary(el) is true.
 * Each line knows the DOM positions of its first and last character (null for blank lines), so a
 * change can be applied to exactly the lines that differ.
 * @returns {{text: string, start: {node: Node, offset: number} | null, end: {node: Node, offset: number} | null}[]}
 */
export function readLines(editor, isBoundary = () => false) {
  const tokens = [];
  let stopped = false;
  const walk = (node) => {
    for (let child = node.firstChild; child && !stopped; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const text = renderedText(child);
        if (text) tokens.push({ kind: "text", text, node: child });
      } else if (child.nodeType === 1) {
        if (isBoundary(child)) {
          stopped = true;
          return;
        }
        const name = child.nodeName.toUpperCase();
        if (SKIPPED.has(name) || child.hidden || child.getAttribute("contenteditable") === "false") continue;
        if (name === "BR") {
          tokens.push({ kind: "hard" });
          continue;
        }
        const block = isBlock(child);
        if (block) tokens.push({ kind: "soft" });
        walk(child);
        if (block) tokens.push({ kind: "soft" });
      }
    }
  };
  walk(editor);

  const lines = [];
  let parts = [];
  const finish = () => {
    const first = parts[0];
    const last = parts[parts.length - 1];
    lines.push({
      text: parts.map((p) => p.text).join(""),
      start: first ? { node: first.node, offset: 0 } : null,
      end: last ? { node: last.node, offset: last.node.length } : null,
    });
    parts = [];
  };
  for (const t of tokens) {
    if (t.kind === "text") parts.push(t);
    else if (t.kind === "hard") finish();
    else if (parts.length) finish(); // a block edge ends a line only if the line has content
  }
  if (parts.length) finish();
  return lines;
}

const isBlank = (line) => line.text.trim() === "";

/** The user's own lines without leading and trailing blank lines (the gap before a signature). */
export function ownLines(editor, isBoundary) {
  const lines = readLines(editor, isBoundary);
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && isBlank(lines[first])) first += 1;
  while (last >= first && isBlank(lines[last])) last -= 1;
  return lines.slice(first, last + 1);
}

export function getOwnText(editor, isBoundary) {
  return ownLines(editor, isBoundary)
    .map((l) => l.text)
    .join("\n");
}

/** Which own lines must change: common leading and trailing lines are left alone (and keep their formatting). */
export function planReplacement(oldLines, newLines) {
  let prefix = 0;
  const max = Math.min(oldLines.length, newLines.length);
  while (prefix < max && oldLines[prefix] === newLines[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    suffix += 1;
  }
  return {
    unchanged: prefix === oldLines.length && prefix === newLines.length,
    from: prefix,
    to: oldLines.length - suffix, // exclusive, in oldLines
    replacement: newLines.slice(prefix, newLines.length - suffix),
  };
}

/** Strips blank lines at both ends, like ownLines does for the DOM. */
export function splitOwnText(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  return lines;
}

/**
 * Replaces the user's own text with `newText` in one editing command, so one undo restores it.
 * Only the run of lines that differ is selected and replaced; when those lines start or end blank
 * (no text node to anchor a selection), the whole own text is replaced instead.
 * @returns {boolean} whether the browser performed the edit
 */
export function replaceOwnText(editor, isBoundary, newText) {
  const doc = editor.ownerDocument;
  const win = doc.defaultView;
  const lines = ownLines(editor, isBoundary);
  const newLines = splitOwnText(newText);
  if (!lines.length) return false;
  const plan = planReplacement(
    lines.map((l) => l.text),
    newLines,
  );
  if (plan.unchanged) return true;
  let startLine = lines[plan.from];
  let endLine = lines[plan.to - 1];
  let text = plan.replacement.join("\n");
  if (!(plan.replacement.length && startLine?.start && endLine?.end)) {
    startLine = lines[0];
    endLine = lines[lines.length - 1];
    text = newLines.join("\n");
  }
  editor.focus();
  const range = doc.createRange();
  range.setStart(startLine.start.node, startLine.start.offset);
  range.setEnd(endLine.end.node, endLine.end.offset);
  const selection = win.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  // insertText goes through the browser's editor: it joins the undo stack (setting innerText would not)
  // and fires the input events the site listens to, so its own model of the draft stays in sync.
  if (text === "") return doc.execCommand("delete", false);
  return doc.execCommand("insertText", false, text);
}
