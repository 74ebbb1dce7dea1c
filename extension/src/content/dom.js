// Small DOM builders shared by the panel's views.

/** A plain `<button type="button">` with a class, a label and a click handler. */
export function actionButton(doc, className, label, onClick) {
  const button = doc.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = label;
  button.addEventListener("click", onClick);
  return button;
}

/**
 * Copies `text` to the clipboard; resolves to whether it worked. `container` holds the hidden textarea
 * of the fallback when the Clipboard API refuses (no focus, or no permission).
 */
export async function copyText(doc, text, container) {
  try {
    await doc.defaultView.navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = doc.createElement("textarea");
    area.value = text;
    area.style.cssText = "position:fixed;left:-9999px;top:0;";
    container.append(area);
    area.select();
    let ok = false;
    try {
      ok = doc.execCommand("copy");
    } catch {
      // no editing commands here (not a real browser)
    }
    area.remove();
    return ok;
  }
}
