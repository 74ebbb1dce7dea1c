// The Proofread button placed next to Send (in a shadow root, so the site's CSS leaves it alone).

const STYLE = `
:host { all: initial; display: inline-block; vertical-align: middle; margin: 0 6px; }
button { font: 500 13px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0b57d0; background: #fff;
  border: 1px solid #0b57d0; border-radius: 16px; padding: 7px 12px; cursor: pointer; white-space: nowrap; }
button:hover { background: #e8f0fe; }
button[aria-busy="true"] { opacity: .6; cursor: progress; }
`;

export const SHORTCUT_LABEL = "Alt+Shift+P";

export function createButton(doc, onClick) {
  const host = doc.createElement("span");
  host.className = "ep-proofread-host";
  const shadow = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = STYLE;
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "ep-proofread";
  button.textContent = "Proofread";
  button.title = `Proofread your text (${SHORTCUT_LABEL})`;
  // Keep the editor's selection and focus: the click must not blur the draft.
  button.addEventListener("mousedown", (e) => e.preventDefault());
  button.addEventListener("click", (e) => {
    e.preventDefault();
    e.stopPropagation();
    onClick();
  });
  shadow.append(style, button);
  return {
    host,
    button,
    setBusy(busy) {
      button.setAttribute("aria-busy", String(busy));
    },
  };
}

/** Inserts the button host relative to the anchor from adapter.buttonAnchor(). */
export function placeButton(host, anchor) {
  if (anchor.where === "after") anchor.element.after(host);
  else anchor.element.before(host);
}
