// Shared helpers of the browser tests: Chromium launch, outbox codes, PNG generation, failure screenshots.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

export const BASE_URL = (process.env.B2BTRADE_E2E_BASE_URL ?? "http://127.0.0.1:5080").replace(/\/$/, "");
export const DATA_DIR = process.env.B2BTRADE_E2E_DATA_DIR ?? "";
export const OPERATOR_EMAIL = process.env.B2BTRADE_E2E_OPERATOR_EMAIL ?? "";
export const OPERATOR_PASSWORD = process.env.B2BTRADE_E2E_OPERATOR_PASSWORD ?? "";
export const CHROMIUM = process.env.B2BTRADE_E2E_CHROMIUM ?? "/usr/bin/chromium";
/** Optional: save screenshots of the main pages here (for a visual check). */
export const SHOT_DIR = process.env.B2BTRADE_E2E_SCREENSHOT_DIR ?? "";

export const ARTIFACT_DIR = mkdtempSync(join(tmpdir(), "b2btrade-e2e-artifacts-"));

const openContexts = new Set();

/** A fresh headless Chromium with its own user-data dir (so each actor has its own localStorage). */
export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), "b2btrade-e2e-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: "zh-CN",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  const entry = { context, page, userDataDir, consoleErrors };
  openContexts.add(entry);
  return entry;
}

export async function closeAll() {
  for (const e of openContexts) {
    await e.context.close().catch(() => {});
    rmSync(e.userDataDir, { recursive: true, force: true });
  }
  openContexts.clear();
}

/** Screenshot of every open page into ARTIFACT_DIR; prints the paths. */
export async function screenshotOnFailure(name) {
  let i = 0;
  for (const e of openContexts) {
    for (const p of e.context.pages()) {
      const file = join(ARTIFACT_DIR, `${name.replace(/[^\w.-]+/g, "_")}-${i++}.png`);
      try {
        await p.screenshot({ path: file, fullPage: true });
        console.log(`# failure screenshot: ${file} (url ${p.url()})`);
        if (e.consoleErrors.length) console.log(`# page errors: ${e.consoleErrors.join(" | ")}`);
      } catch (err) {
        console.log(`# screenshot failed: ${err}`);
      }
    }
  }
}

export async function shot(page, name) {
  if (!SHOT_DIR) return;
  mkdirSync(SHOT_DIR, { recursive: true });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true });
}

function readOutbox() {
  const file = join(DATA_DIR, "outbox", "messages.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .filter(Boolean);
}

/** Highest outbox message id so far (call before requesting a code). */
export function outboxMark() {
  return readOutbox().reduce((m, x) => Math.max(m, Number(x.id) || 0), 0);
}

/** Waits for a message to recipient newer than `after` and returns its 6-digit code. */
export async function waitForCode(recipient, after = 0, timeoutMs = 15_000) {
  if (!DATA_DIR) throw new Error("B2BTRADE_E2E_DATA_DIR is not set");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mine = readOutbox().filter((m) => m.recipient === recipient && (Number(m.id) || 0) > after);
    if (mine.length) {
      const newest = mine.reduce((a, b) => ((Number(b.id) || 0) > (Number(a.id) || 0) ? b : a));
      const m = /(\d{6})/.exec(newest.body ?? "");
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no verification code for ${recipient} in ${join(DATA_DIR, "outbox", "messages.jsonl")}`);
}

export function uniquePhone() {
  // 139 + 8 digits from the clock and randomness → unique per run.
  const n = (Date.now() % 1e6) * 100 + Math.floor(Math.random() * 100);
  return `139${String(n).padStart(8, "0").slice(-8)}`;
}

export function uniqueEmail(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@example.com`;
}

// ---- a small valid PNG (a fake licence) ----
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
export function makePng(width = 240, height = 160) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const border = x < 6 || y < 6 || x >= width - 6 || y >= height - 6;
      const o = row + 1 + x * 3;
      raw[o] = border ? 200 : 250;
      raw[o + 1] = border ? 30 : 246;
      raw[o + 2] = border ? 30 : 235;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Runs the steps of one scenario as subtests; after a failure the rest are skipped. */
export function stepper(t) {
  let failed = false;
  return async (name, fn) =>
    t.test(name, { skip: failed ? "an earlier step failed" : false }, async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        await screenshotOnFailure(name);
        throw e;
      }
    });
}

/** A random unified social credit code with a correct GB 32100-2015 check character (unique per run). */
export function randomCreditCode() {
  const CH = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = "91350100";
  while (body.length < 17) body += CH[Math.floor(Math.random() * CH.length)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CH.indexOf(body[i]) * W[i];
  return body + CH[(31 - (sum % 31)) % 31];
}
