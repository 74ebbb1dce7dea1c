// The diff: each change (insert, delete, replace) is shown marked and can be rejected before Apply.
// Segments come from the backend: joining `original`s gives the draft, joining `corrected`s the rewrite.

export const isChange = (segment) => segment.op !== "equal";

export function changeCount(diff) {
  return diff.filter(isChange).length;
}

/** The text to apply: the correction, except rejected changes (by segment index) keep the original. */
export function textWithRejections(diff, rejected = new Set()) {
  return diff.map((s, i) => (isChange(s) && rejected.has(i) ? s.original : s.corrected)).join("");
}

/**
 * Renders the diff into a fragment. Each change gets a toggle that rejects/restores it and calls
 * onToggle(index). Deletions are <del>, insertions are <ins>; a rejected change is greyed out.
 */
export function renderDiff(doc, diff, rejected = new Set(), onToggle = () => {}) {
  const frag = doc.createDocumentFragment();
  diff.forEach((segment, index) => {
    if (!isChange(segment)) {
      const span = doc.createElement("span");
      span.className = "seg-equal";
      span.textContent = segment.original;
      frag.append(span);
      return;
    }
    const change = doc.createElement("span");
    change.className = `change change-${segment.op}${rejected.has(index) ? " rejected" : ""}`;
    change.dataset.index = String(index);
    if (segment.original) {
      const del = doc.createElement("del");
      del.textContent = segment.original;
      change.append(del);
    }
    if (segment.corrected) {
      const ins = doc.createElement("ins");
      ins.textContent = segment.corrected;
      change.append(ins);
    }
    const toggle = doc.createElement("button");
    toggle.type = "button";
    toggle.className = "reject";
    const isRejected = rejected.has(index);
    toggle.textContent = isRejected ? "↺" : "×";
    toggle.title = isRejected ? "Keep this change" : "Reject this change";
    toggle.setAttribute("aria-label", toggle.title);
    toggle.setAttribute("aria-pressed", String(isRejected));
    toggle.addEventListener("click", () => onToggle(index));
    change.append(toggle);
    frag.append(change);
  });
  return frag;
}
