// Builds a site adapter from its selectors. Every adapter has the same small interface:
//   id, label, matchesPage(location, doc), findComposeRoots(doc) -> [{editor, root}],
//   getOwnText(editor), replaceOwnText(editor, text), buttonAnchor({editor, root}) -> {element, where}
import { getOwnText, replaceOwnText } from "./editable-text.js";

const firstMatch = (root, selectors) => {
  for (const s of selectors) {
    const el = root.querySelector(s);
    if (el) return el;
  }
  return null;
};

/** The nearest ancestor of `el` (at most `levels` up) that contains a match for one of `selectors`. */
export function nearestWith(el, selectors, levels = 15) {
  let node = el.parentElement;
  for (let i = 0; node && i < levels; i += 1, node = node.parentElement) {
    if (selectors.some((s) => node.querySelector(s))) return node;
  }
  return null;
}

export function makeAdapter(site) {
  const isBoundary = (el) => el.matches(site.boundarySelector);
  const isEditor = (el) =>
    el.isContentEditable !== false &&
    el.getAttribute("contenteditable") !== "false" &&
    !(site.excludeEditor && site.excludeEditor(el));
  return {
    id: site.id,
    label: site.label,
    selectors: site,
    matchesPage: (location, doc) => site.matchesPage(location, doc),
    findComposeRoots(doc) {
      const seen = new Set();
      const found = [];
      for (const selector of site.editorSelectors) {
        for (const editor of doc.querySelectorAll(selector)) {
          if (seen.has(editor) || !isEditor(editor)) continue;
          // A nested match (an editable inside the body) is part of the same compose.
          if (found.some((f) => f.editor.contains(editor) || editor.contains(f.editor))) continue;
          seen.add(editor);
          found.push({ editor, root: site.composeRootOf(editor) });
        }
      }
      return found;
    },
    isBoundary,
    getOwnText: (editor) => getOwnText(editor, isBoundary),
    replaceOwnText: (editor, text) => replaceOwnText(editor, isBoundary, text),
    /** Where the Proofread button goes: next to Send if it can be found, else just above the body. */
    buttonAnchor({ editor, root }) {
      const send = root && root !== editor ? firstMatch(root, site.sendSelectors) : null;
      if (send) return { element: site.sendContainerOf ? site.sendContainerOf(send) : send, where: "after" };
      return { element: editor, where: "before" };
    },
  };
}
