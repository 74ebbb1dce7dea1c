// A backend Result as docs/API.md describes it (the shape the extension reads).
export function sampleResult({ original = "Hi Sam,\nI has sent the report yesterday.", corrected = "Hi Sam,\nI have sent the report yesterday." } = {}) {
  const score = (value, label, emoji, reasons = []) => ({ value, label, emoji, reasons });
  return {
    original,
    corrected,
    changed: original !== corrected,
    diff: [
      { op: "equal", original: "Hi Sam,\nI ", corrected: "Hi Sam,\nI " },
      { op: "replace", original: "has", corrected: "have" },
      { op: "equal", original: " sent the report yesterday.", corrected: " sent the report yesterday." },
    ],
    scores_before: {
      sentiment: score(0.1, "neutral", "😐"),
      politeness: score(0.4, "neutral", "🙂", [{ strategy: "direct_command", effect: "rude", present: true, evidence: "send" }]),
    },
    scores_after: {
      sentiment: score(0.2, "positive", "🙂"),
      politeness: score(0.8, "polite", "😊", [{ strategy: "greeting", effect: "polite", present: true, evidence: "hi" }]),
    },
    warnings: [],
    model: { engine: "llama.cpp", base: "gemma", adapter: null, chat_format: "gemma" },
    timings: { score_ms: 1, generate_ms: 2, total_ms: 3, prompt_tokens: 4, generated_tokens: 5 },
  };
}
