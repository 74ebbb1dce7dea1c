// Finds compose windows now and whenever the site re-renders (MutationObserver), and tells the
// caller once per editor element. A compose whose editor is replaced is a new compose to us.

export function watchComposes(doc, adapter, { onCompose, onGone }) {
  const known = new Map(); // editor -> compose
  const scan = () => {
    const found = adapter.findComposeRoots(doc);
    const live = new Set(found.map((c) => c.editor));
    for (const [editor, compose] of known) {
      if (!live.has(editor) || !editor.isConnected) {
        known.delete(editor);
        onGone(compose);
      }
    }
    for (const compose of found) {
      const existing = known.get(compose.editor);
      if (existing) {
        existing.root = compose.root;
        onCompose(existing, false); // let the caller re-place a button the site removed
      } else {
        known.set(compose.editor, compose);
        onCompose(compose, true);
      }
    }
  };
  let pending = null;
  const schedule = () => {
    if (pending !== null) return;
    pending = doc.defaultView.setTimeout(() => {
      pending = null;
      scan();
    }, 150);
  };
  const ours = (n) => n.nodeType === 1 && (n.classList.contains("ep-proofread-host") || n.classList.contains("ep-panel-host"));
  const insideEditor = (node) => [...known.keys()].some((editor) => editor.contains(node));
  const observer = new doc.defaultView.MutationObserver((records) => {
    // Ignore our own button/panel (they would rescan forever) and typing inside a known body.
    const relevant = records.some(
      (r) => !insideEditor(r.target) && [...r.addedNodes, ...r.removedNodes].some((n) => !ours(n)),
    );
    if (relevant) schedule();
  });
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true });
  scan();
  return {
    scan,
    composes: () => [...known.values()],
    stop() {
      observer.disconnect();
      if (pending !== null) doc.defaultView.clearTimeout(pending);
      for (const compose of known.values()) onGone(compose);
      known.clear();
    },
  };
}
