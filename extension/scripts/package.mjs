#!/usr/bin/env node
// Builds the store packages from the shipped files only (no tests, fixtures, module sources of the
// content script, or node_modules):
//   node extension/scripts/package.mjs                  -> dist/email-proofreader-chrome.zip and dist/email-proofreader-firefox.xpi
//   node extension/scripts/package.mjs --out DIR        -> the same, into DIR
//   node extension/scripts/package.mjs --unpacked DIR [--browser chrome|firefox]
//                                                       -> the files unpacked into DIR (what the browser tests load)
// The source manifest declares background.service_worker (Chrome) and background.scripts (Firefox) side
// by side, so extension/ itself loads unpacked in both. Each package keeps only its browser's key, so
// neither browser (nor web-ext lint) warns about the other's. The content script is re-bundled from
// its modules here, so a package can't ship a stale bundle. Zips are written with Node's zlib only.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";
import { OUTPUT as CONTENT_SCRIPT, bundle } from "./bundle-content.mjs";

const EXT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = resolve(EXT, "..");
export const SHIPPED = ["manifest.json", "src/protocol.js", "src/settings.js", "src/background", CONTENT_SCRIPT, "options", "icons"];

export function shippedFiles() {
  const files = [];
  const walk = (path) => {
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else files.push(relative(EXT, path).split(sep).join("/"));
  };
  for (const entry of SHIPPED) walk(join(EXT, entry));
  // The bundle is generated (not committed): ship it even before the first build.
  if (!files.includes(CONTENT_SCRIPT)) files.push(CONTENT_SCRIPT);
  return files;
}

export function manifestFor(browser) {
  const manifest = JSON.parse(readFileSync(join(EXT, "manifest.json"), "utf8"));
  if (browser === "chrome") {
    delete manifest.background.scripts;
    delete manifest.browser_specific_settings;
  } else if (browser === "firefox") {
    delete manifest.background.service_worker;
  }
  return manifest;
}

/** [{name, data}] for one browser's package. */
export function packageEntries(browser) {
  return shippedFiles().map((name) => {
    let data = name === CONTENT_SCRIPT ? Buffer.from(bundle()) : readFileSync(join(EXT, name));
    if (name === "manifest.json") data = Buffer.from(`${JSON.stringify(manifestFor(browser), null, 2)}\n`);
    return { name, data };
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function zip(entries) {
  // Fixed timestamp (1980-01-01) so the same sources give the same bytes.
  const chunks = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, "utf8");
    const deflated = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(0x0800, 8);
    head.writeUInt16LE(8, 10);
    head.writeUInt16LE(0, 12);
    head.writeUInt16LE(0x21, 14);
    head.writeUInt32LE(crc, 16);
    head.writeUInt32LE(deflated.length, 20);
    head.writeUInt32LE(data.length, 24);
    head.writeUInt16LE(nameBuf.length, 28);
    head.writeUInt32LE(offset, 42);
    central.push(head, nameBuf);
    chunks.push(local, nameBuf, deflated);
    offset += local.length + nameBuf.length + deflated.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, centralBuf, end]);
}

function main(argv) {
  const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const unpacked = option("--unpacked");
  if (unpacked) {
    const out = resolve(unpacked);
    rmSync(out, { recursive: true, force: true });
    const entries = packageEntries(option("--browser") ?? "both");
    for (const { name, data } of entries) {
      mkdirSync(dirname(join(out, name)), { recursive: true });
      writeFileSync(join(out, name), data);
    }
    console.log(`unpacked ${entries.length} files into ${out}`);
    return;
  }
  const dist = resolve(option("--out") ?? join(REPO, "dist"));
  mkdirSync(dist, { recursive: true });
  const version = manifestFor("chrome").version;
  for (const [browser, name] of [["chrome", "email-proofreader-chrome.zip"], ["firefox", "email-proofreader-firefox.xpi"]]) {
    const entries = packageEntries(browser);
    const archive = zip(entries);
    writeFileSync(join(dist, name), archive);
    console.log(`${join(dist, name)} (${entries.length} files, ${archive.length} bytes, v${version})`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
