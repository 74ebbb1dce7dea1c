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
