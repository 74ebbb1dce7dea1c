import assert from "node:assert/strict";
import { test } from "node:test";
import { panelPosition } from "../src/content/panel.js";

const viewport = { width: 1280, height: 800 };
const rect = (left, top, right, bottom) => ({ left, top, right, bottom });

test("the panel goes above the compose when it fits (Gmail's docked composes)", () => {
  assert.deepEqual(panelPosition(rect(800, 450, 1260, 790), 320, viewport), { left: 870, top: 122 });
});

test("else to its left, else to its right (Outlook's compose in the top left), else over its right edge", () => {
  assert.deepEqual(panelPosition(rect(600, 100, 1200, 700), 320, viewport), { left: 210, top: 100 });
  assert.deepEqual(panelPosition(rect(20, 100, 700, 700), 320, viewport), { left: 708, top: 100 });
  assert.deepEqual(panelPosition(rect(20, 100, 1270, 700), 320, viewport), { left: 872, top: 100 });
});

test("always inside the viewport", () => {
  const { left, top } = panelPosition(rect(20, 700, 1400, 900), 320, viewport);
  assert.ok(left >= 8 && left + 390 <= viewport.width - 8 && top >= 8 && top + 320 <= viewport.height - 8);
});
