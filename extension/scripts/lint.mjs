#!/usr/bin/env node
// web-ext lint on exactly what ships to Firefox (the .xpi's files and manifest), warnings as errors.
//   node extension/scripts/lint.mjs
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const EXT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "email-proofreader-lint-"));
try {
  const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", cwd: EXT }).status ?? 1;
  let status = run(process.execPath, [join(EXT, "scripts/package.mjs"), "--unpacked", dir, "--browser", "firefox"]);
  if (status === 0) status = run(join(EXT, "node_modules/.bin/web-ext"), ["lint", "--source-dir", dir, "--warnings-as-errors", "--no-config-discovery"]);
  process.exitCode = status;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
