// The panel beside a compose window: loading (streamed text, Cancel), result (scores, diff, Apply /
// Copy / Dismiss) or fallback. It lives in a shadow root so the site's CSS can't restyle it, and it is
// never inside the editable body, so nothing of it can end up in the email.
import { changeCount, renderDiff, textWithRejections } from "./diff-view.js";
import { actionButton } from "./dom.js";
import { renderFallback } from "./fallback.js";
import { renderScores } from "./scores-view.js";

const STYLE = `
:host { all: initial; }
.panel { box-sizing: border-box; width: 380px; max-height: 70vh; overflow: auto; background: #fff; color: #202124;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; border: 1px solid #c4c7c5;
  border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 12px 14px; }
header { display: flex; align-items: center; justify-content: space-between; margin-bottom: 8px; }
h2 { font-size: 14px; margin: 0; }
button { font: inherit; border: 1px solid #c4c7c5; background: #f8f9fa; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button.primary { background: #0b57d0; border-color: #0b57d0; color: #fff; }
button:disabled { opacity: .45; cursor: default; }
button:focus-visible { outline: 2px solid #0b57d0; outline-offset: 1px; }
.close { border: none; background: none; font-size: 16px; padding: 0 4px; }
.actions { display: flex; gap: 8px; margin-top: 10px; flex-wrap: wrap; }
.stream { white-space: pre-wrap; color: #5f6368; background: #f8f9fa; border-radius: 6px; padding: 6px 8px; min-height: 2em; }
.status { color: #5f6368; margin: 0 0 6px; }
table.scores { border-collapse: collapse; width: 100%; margin-bottom: 10px; }
table.scores th, table.scores td { text-align: left; vertical-align: top; padding: 3px 4px; border-bottom: 1px solid #eee; }
ul.reasons { margin: 2px 0 0; padding-left: 14px; font-size: 12px; color: #5f6368; }
ul.reasons li.rude { color: #b3261e; }
.diff { white-space: pre-wrap; border: 1px solid #e0e0e0; border-radius: 6px; padding: 6px 8px; }
del { background: #fce8e6; color: #a50e0e; text-decoration: line-through; }
ins { background: #e6f4ea; color: #0d652d; text-decoration: none; }
.change .reject { font-size: 11px; padding: 0 4px; margin: 0 2px 0 1px; line-height: 1.2; vertical-align: baseline; }
.change.rejected del { background: none; color: inherit; text-decoration: none; }
.change.rejected ins { display: none; }
.warnings { color: #8a4b00; font-size: 12px; }
.fallback .error-message { color: #b3261e; font-weight: 600; }
.note { color: #5f6368; font-size: 12px; }
.notice { color: #8a4b00; }
`;

let panelCount = 0;

/** The host element, its shadow root, and the panel's header (title, ×) and body. */
function panelShell(doc, title) {
  panelCount += 1;
  const host = doc.createElement("div");
  host.className = "ep-panel-host";
  host.dataset.epPanel = String(panelCount);
  host.style.cssText = "position:fixed;z-index:2147483000;";
  const shadow = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = STYLE;
  const panel = doc.createElement("section");
  panel.className = "panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);
  shadow.append(style, panel);

  const header = doc.createElement("header");
  const h2 = doc.createElement("h2");
  h2.textContent = title;
  const close = doc.createElement("button");
  close.type = "button";
  close.className = "close";
  close.textContent = "×";
  close.setAttribute("aria-label", "Close");
  header.append(h2, close);
  const body = doc.createElement("div");
  body.className = "body";
  panel.append(header, body);
  return { host, shadow, panel, body, close };
}

const PANEL_WIDTH = 390;

/**
 * Where the panel goes, in viewport pixels: above the compose when it fits (Gmail docks composes at the
 * bottom, side by side, so a panel above covers none of them), else to its left, else to its right
 * (Outlook's compose fills the top left of the reading pane), else over its right edge. Always inside
 * the viewport.
 */
export function panelPosition(rect, height, viewport) {
  const width = PANEL_WIDTH;
  const clampLeft = (x) => Math.max(8, Math.min(x, viewport.width - width - 8));
  const clampTop = (y) => Math.max(8, Math.min(y, viewport.height - height - 8));
  if (rect.top - 8 >= height) return { left: clampLeft(rect.right - width), top: rect.top - height - 8 };
  const top = clampTop(rect.top);
  if (rect.left >= width + 8) return { left: rect.left - width, top };
  if (rect.right + 8 + width <= viewport.width) return { left: rect.right + 8, top };
  return { left: clampLeft(Math.min(rect.right, viewport.width) - width - 8), top };
}

/** The result view: scores, the change count, the diff with a reject button per change, warnings, actions. */
function renderResult(doc, result, { onApply, onCopy, onDismiss }) {
  const button = (name, label, handler) => actionButton(doc, name, label, handler);
  const parts = [renderScores(doc, result.scores_before, result.scores_after)];
  const rejected = new Set();
  const summary = doc.createElement("p");
  summary.className = "status";
  const n = changeCount(result.diff);
  summary.textContent = n === 0 ? "No changes suggested." : `${n} change${n === 1 ? "" : "s"}. Reject any with ×, then Apply.`;
  const diff = doc.createElement("div");
  diff.className = "diff";
  const redraw = () => diff.replaceChildren(renderDiff(doc, result.diff, rejected, toggle));
  const toggle = (i) => {
    if (rejected.has(i)) rejected.delete(i);
    else rejected.add(i);
    redraw();
  };
  redraw();
  parts.push(summary, diff);
  if (result.warnings?.length) {
    const w = doc.createElement("ul");
    w.className = "warnings";
    for (const text of result.warnings) {
      const li = doc.createElement("li");
      li.textContent = text;
      w.append(li);
    }
    parts.push(w);
  }
  const notice = doc.createElement("p");
  notice.className = "notice";
  notice.hidden = true;
  const actions = doc.createElement("div");
  actions.className = "actions";
  const apply = button("apply primary", "Apply", () => onApply(textWithRejections(result.diff, rejected)));
  apply.disabled = n === 0;
  actions.append(
    apply,
    button("copy", "Copy", () => onCopy(textWithRejections(result.diff, rejected))),
    button("dismiss", "Dismiss", onDismiss),
  );
  parts.push(actions, notice);
  return parts;
}

export function createPanel(doc, { anchor, title = "Proofread" }) {
  const { host, shadow, panel, body, close } = panelShell(doc, title);
  let onClose = () => {};
  close.addEventListener("click", () => onClose());
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") onClose();
  });

  const place = () => {
    const win = doc.defaultView;
    const height = host.getBoundingClientRect().height || 320;
    const { left, top } = panelPosition(anchor().getBoundingClientRect(), height, { width: win.innerWidth, height: win.innerHeight });
    host.style.left = `${left}px`;
    host.style.top = `${top}px`;
  };

  const show = (state, children) => {
    body.replaceChildren(...children);
    panel.dataset.state = state;
    if (!host.isConnected) doc.body.append(host);
    place();
  };

  return {
    host,
    shadow,
    set onClose(fn) {
      onClose = fn;
    },
    remove() {
      host.remove();
    },
    showLoading({ onCancel }) {
      const status = doc.createElement("p");
      status.className = "status";
      status.textContent = "Proofreading…";
      const stream = doc.createElement("div");
      stream.className = "stream";
      stream.setAttribute("aria-live", "polite");
      const actions = doc.createElement("div");
      actions.className = "actions";
      actions.append(actionButton(doc, "cancel", "Cancel", onCancel));
      show("loading", [status, stream, actions]);
    },
    appendToken(text) {
      const stream = body.querySelector(".stream");
      if (stream) stream.textContent += text;
    },
    showResult(result, actions) {
      show("result", renderResult(doc, result, actions));
    },
    showNotice(text) {
      const notice = body.querySelector(".notice");
      if (notice) {
        notice.textContent = text;
        notice.hidden = false;
      }
    },
    showError(error, actions) {
      show("error", [renderFallback(doc, error, actions)]);
    },
  };
}
