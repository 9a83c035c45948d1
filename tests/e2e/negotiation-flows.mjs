// Page-level actions of the negotiation scenarios (询盘 / 报价 / 议价 / 洽谈 / 消息中心).
import assert from "node:assert/strict";
import { BASE_URL, randomCreditCode } from "./lib.mjs";
import { clickWhenSettled, fillEnterpriseForm, tid } from "./flows.mjs";
import { eventually } from "./catalog-flows.mjs";

/** Creates a buying enterprise (采购方 only) on /enterprises/new and submits it for verification; returns its id. */
export async function createBuyerEnterprise(page, legalName) {
  await page.goto(`${BASE_URL}/enterprises/new`);
  await fillEnterpriseForm(page, { legalName, creditCode: randomCreditCode(), address: "上海市浦东新区世纪大道 100 号" });
  assert.ok(await page.locator(tid("ent-is-buyer")).isChecked(), "采购方 is ticked by default");
  await page.click(tid("enterprise-save"));
  await page.locator(tid("enterprise-submit-verification")).waitFor();
  const enterpriseId = /\/enterprises\/([^/?#]+)$/.exec(page.url())?.[1];
  assert.ok(enterpriseId, `enterprise id in ${page.url()}`);
  await page.click(tid("enterprise-submit-verification"));
  await page.locator(`${tid("verification-status")}[data-status="PENDING"]`).waitFor();
  return enterpriseId;
}

/** Local calendar date `days` from today as YYYY-MM-DD (what the date pickers show). */
export function dayFromToday(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Types a date (or date and time) into the antd DatePicker with data-testid `testId` and confirms it. */
export async function fillDate(page, testId, text) {
  const input = page.locator(`input${tid(testId)}, ${tid(testId)} input`).first();
  await input.click();
  await input.press("Control+A");
  await input.pressSequentially(text, { delay: 5 });
  await input.press("Enter");
  await eventually(async () => (await input.inputValue()) === text, { timeout: 5000, message: `date ${text} in ${testId}` });
  // Close the picker popup so it does not cover the next field.
  await page.keyboard.press("Escape");
}

/** Marks the page so a later check can tell that no reload or navigation happened in between. */
export async function markPage(page) {
  await page.evaluate(() => {
    window.__b2bNoReload = true;
  });
}

export async function assertNotReloaded(page) {
  assert.equal(await page.evaluate(() => window.__b2bNoReload === true), true, "the page was not reloaded");
}

/** The header's unread count (消息中心 badge), or null before the first WatchInbox event. */
export async function unreadBadge(page) {
  const v = await page.locator(tid("inbox-bell")).getAttribute("data-count");
  return v === null || v === "" ? null : Number(v);
}

/** Waits until the negotiation page shows the thread in `status` (e.g. "QUOTED"). */
export async function waitThreadStatus(page, status, timeout = 15_000) {
  await page.locator(`${tid("thread-status")}[data-status="${status}"]`).waitFor({ timeout });
}

/** The version and kind of the current-offer card. */
export async function currentOffer(page) {
  const card = page.locator(tid("current-offer"));
  return { version: Number(await card.getAttribute("data-version")), kind: await card.getAttribute("data-kind") };
}

/** Waits for the current-offer card to show version `version`. */
export async function waitCurrentVersion(page, version, timeout = 15_000) {
  await page.locator(`${tid("current-offer")}[data-version="${version}"]`).waitFor({ timeout });
}

/** Sets a text field of the offer drawer (clears what the prefill put there). */
export async function setField(page, testId, value) {
  const input = page.locator(tid(testId));
  await input.fill("");
  await input.fill(value);
}

/** The preview total of the open drawer once PreviewTerms answered with `text`. */
export async function waitPreviewTotal(page, text, timeout = 10_000) {
  await page.locator(tid("preview-total")).filter({ hasText: text }).waitFor({ timeout });
}

/** Submits the open offer drawer and waits for it to close. */
export async function submitOffer(page) {
  await page.click(tid("offer-submit"));
  await page.locator(tid("offer-submit")).waitFor({ state: "detached", timeout: 15_000 });
}

/** The diff table's rows as {field: [before, after]}. */
export async function diffRows(page) {
  const rows = await page.locator(`${tid("diff-table")} ${tid("diff-row")}`).evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.field, tr.querySelector('[data-testid="diff-before"]')?.textContent ?? "", tr.querySelector('[data-testid="diff-after"]')?.textContent ?? ""]),
  );
  return Object.fromEntries(rows.map(([f, b, a]) => [f, [b, a]]));
}

/** The chat messages on screen: [{sequence, mine, text, contentType, read}]. */
export async function chatMessages(page) {
  return page.locator(`${tid("chat-messages")} ${tid("chat-message")}`).evaluateAll((els) =>
    els.map((el) => ({
      sequence: Number(el.dataset.sequence),
      mine: el.dataset.mine === "1",
      text: el.querySelector('[data-testid="chat-text"]')?.textContent ?? "",
      contentType: el.querySelector('[data-testid="chat-attachment"]')?.getAttribute("data-content-type") ?? "",
      read: el.querySelector('[data-testid="chat-receipt"]')?.getAttribute("data-read") === "1",
    })),
  );
}

/** Accepts the open quote through the Popconfirm. */
export async function acceptQuote(page) {
  await page.click(tid("action-accept"));
  await clickWhenSettled(page, tid("accept-confirm"));
}

/** A tiny valid one-page PDF (FileService recognises PDFs by content). */
export function makePdf(text = "B2BTrade test") {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    null,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  const stream = `BT /F1 18 Tf 20 70 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let body = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
