// A backend Result as the extension receives it. The JSON lives in fixtures/ so that the Python suite
// (tests/backend/test_result_copies.py) checks it against backend.types.Result: it cannot drift.
import { readFileSync } from "node:fs";

const SAMPLE = readFileSync(new URL("../fixtures/sample-result.json", import.meta.url), "utf8");

export function sampleResult() {
  return JSON.parse(SAMPLE); // a fresh copy: tests may change it
}
