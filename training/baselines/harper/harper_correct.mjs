// Rule-based baseline: for every lint Harper reports, apply its first suggestion.
// Reads JSONL lines {"id", "text"} on stdin, writes {"id", "output", "lints"} on stdout.
// Lints are applied from the end of the text backwards so earlier spans stay valid;
// overlapping lints after the first are skipped.
import { createInterface } from "node:readline";
import { LocalLinter } from "harper.js";
import { binaryInlined } from "harper.js/binaryInlined";

const linter = new LocalLinter({ binary: binaryInlined });
await linter.setup();

async function correct(text) {
  const lints = (await linter.lint(text)).filter((lint) => lint.suggestion_count() > 0);
  const spans = lints
    .map((lint) => ({ lint, start: lint.span().start, end: lint.span().end }))
    .sort((a, b) => b.start - a.start);
  let output = text;
  let applied = 0;
  let limit = Infinity;
  for (const { lint, start, end } of spans) {
    if (end > limit) continue; // overlaps a lint already applied
    output = await linter.applySuggestion(output, lint, lint.suggestions()[0]);
    limit = start;
    applied += 1;
  }
  return { output, applied };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { id, text } = JSON.parse(line);
  const { output, applied } = await correct(text);
  process.stdout.write(JSON.stringify({ id, output, lints: applied }) + "\n");
}
