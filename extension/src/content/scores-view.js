// Sentiment and politeness, before and after, with the politeness reasons.

const pct = (v) => `${Math.round(v * 100)}%`;
const signed = (v) => (v > 0 ? `+${v.toFixed(2)}` : v.toFixed(2));

export function formatScore(kind, score) {
  const value = kind === "politeness" ? pct(score.value) : signed(score.value);
  // the email rating: how people would rate the email (1-5); the backend leaves it out for short texts
  const rated = kind === "politeness" && typeof score.rating === "number" ? `; rated ${score.rating.toFixed(1)}/5` : "";
  return `${score.emoji} ${score.label} (${value}${rated})`;
}

export function reasonText(reason) {
  // + a polite strategy found, − a rude one found, ○ one the text lacks
  const mark = reason.present === false ? "○" : reason.effect === "polite" ? "+" : "−";
  const evidence = reason.evidence ? ` “${reason.evidence}”` : "";
  const missing = reason.present === false ? " (missing)" : "";
  return `${mark} ${reason.strategy.replace(/_/g, " ")}${evidence}${missing}`;
}

export function renderScores(doc, before, after) {
  const table = doc.createElement("table");
  table.className = "scores";
  const head = table.insertRow();
  for (const label of ["", "Before", "After"]) {
    const th = doc.createElement("th");
    th.textContent = label;
    head.append(th);
  }
  for (const kind of ["sentiment", "politeness"]) {
    const row = table.insertRow();
    row.dataset.kind = kind;
    const name = doc.createElement("th");
    name.textContent = kind === "sentiment" ? "Sentiment" : "Politeness";
    row.append(name);
    for (const [which, scores] of [["before", before], ["after", after]]) {
      const cell = row.insertCell();
      cell.className = which;
      cell.textContent = formatScore(kind, scores[kind]);
      const reasons = scores[kind].reasons ?? [];
      if (reasons.length) {
        const list = doc.createElement("ul");
        list.className = "reasons";
        for (const r of reasons) {
          const li = doc.createElement("li");
          li.className = r.effect;
          li.textContent = reasonText(r);
          list.append(li);
        }
        cell.append(list);
      }
    }
  }
  return table;
}
