// Settings: defaults, normalisation and storage. Stored in storage.sync; they never hold email text.

export const SITES = ["gmail", "outlook"];

export const DEFAULT_SETTINGS = Object.freeze({
  mode: "local", // "local" = our backend's HTTP API, "space" = a Gradio Space through its HTTP API
  backendUrl: "http://127.0.0.1:8000",
  spaceUrl: "http://127.0.0.1:7860",
  apiKey: "",
  stream: true,
  temperature: 0,
  topP: 1,
  maxTokens: 0, // 0 = let the backend choose from the input length
  sites: Object.freeze({ gmail: true, outlook: true }),
});

function cleanUrl(value, fallback) {
  if (typeof value !== "string") return fallback;
  const trimmed = value.trim();
  try {
    const url = new URL(trimmed);
    if (url.protocol !== "http:" && url.protocol !== "https:") return fallback;
    // Keep a path (a Space may live below one) but drop search, hash and trailing slashes.
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return fallback;
  }
}

function clampNumber(value, min, max, fallback) {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

/** Any stored or typed-in object -> a complete, valid settings object. */
export function normalizeSettings(raw) {
  const r = raw && typeof raw === "object" ? raw : {};
  const d = DEFAULT_SETTINGS;
  const sites = {};
  for (const site of SITES) {
    sites[site] = typeof r.sites?.[site] === "boolean" ? r.sites[site] : d.sites[site];
  }
  return {
    mode: r.mode === "space" ? "space" : "local",
    backendUrl: cleanUrl(r.backendUrl, d.backendUrl),
    spaceUrl: cleanUrl(r.spaceUrl, d.spaceUrl),
    apiKey: typeof r.apiKey === "string" ? r.apiKey.trim() : d.apiKey,
    stream: typeof r.stream === "boolean" ? r.stream : d.stream,
    temperature: clampNumber(r.temperature, 0, 2, d.temperature),
    topP: clampNumber(r.topP, 0.01, 1, d.topP),
    maxTokens: Math.round(clampNumber(r.maxTokens, 0, 4096, d.maxTokens)),
    sites,
  };
}

/** The `options` object of POST /v1/proofread. */
export function generationOptions(settings) {
  return {
    temperature: settings.temperature,
    top_p: settings.topP,
    max_tokens: settings.maxTokens > 0 ? settings.maxTokens : null,
  };
}

/** Host-permission pattern for a URL, for permissions.request (remote backends or Spaces). */
export function originPattern(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

/** Loopback hosts are covered by the manifest's host_permissions; anything else is asked for at runtime. */
export function needsRuntimePermission(url) {
  const host = new URL(url).hostname;
  return !(host === "127.0.0.1" || host === "localhost");
}

export async function loadSettings(storage) {
  const stored = await storage.sync.get("settings");
  return normalizeSettings(stored?.settings);
}

export async function saveSettings(storage, settings) {
  const clean = normalizeSettings(settings);
  await storage.sync.set({ settings: clean });
  return clean;
}
