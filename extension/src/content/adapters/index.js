import { gmail } from "./gmail.js";
import { outlook } from "./outlook.js";

export const ADAPTERS = [gmail, outlook];

export function adapterFor(location, doc) {
  return ADAPTERS.find((a) => a.matchesPage(location, doc)) ?? null;
}
