// The health line on the options page, from a `health/value` message.

export function describeHealth(answer, settings) {
  const target = settings.mode === "space" ? settings.spaceUrl : settings.backendUrl;
  if (!answer || answer.type !== "health/value") return { ok: false, text: "The extension's background worker did not answer." };
  if (!answer.ok) {
    const lead = !answer.error || answer.error.kind === "not_running" ? "Not reachable" : "Not working";
    return { ok: false, text: `${lead}: ${answer.error?.message ?? target}` };
  }
  const h = answer.health ?? {};
  if (settings.mode === "space") return { ok: h.status === "ok", text: `Space ${target}: ${h.status}` };
  const model = h.model ? `${h.model.base}${h.model.adapter ? ` + ${h.model.adapter}` : ""} (${h.model.engine})` : "no model";
  const queue = h.queue ? `, queue ${h.queue.waiting}/${h.queue.capacity}` : "";
  const ok = h.status === "ok" && h.model_loaded !== false;
  return { ok, text: `${ok ? "OK" : h.status ?? "unknown"} – ${target}: ${model}${queue}` };
}
