// Page-level actions shared by the scenarios (selectors are the app's data-testid attributes).
import assert from "node:assert/strict";
import { BASE_URL, makePng, outboxMark, waitForCode } from "./lib.mjs";

export function tid(id) {
  return `[data-testid="${id}"]`;
}

/** Registers through the UI; kind "phone" or "email". Ends logged in on the dashboard. */
export async function registerViaUi(page, { kind, address, password, displayName, accountKind = "enterprise" }) {
  await page.goto(`${BASE_URL}/register`);
  await page.click(tid(`account-kind-${accountKind}`));
  await page.click(tid(`tab-${kind}`));
  await page.fill(tid(`input-${kind}`), address);
  const mark = outboxMark();
  await page.click(tid("send-code"));
  const recipient = kind === "phone" ? `+86${address}` : address.toLowerCase();
  const code = await waitForCode(recipient, mark);
  // The countdown shows once the server accepted the request.
  await page.locator(tid("send-code")).filter({ hasText: /\d+/ }).waitFor();
  await page.fill(tid("input-code"), code);
  await page.fill(tid("input-password"), password);
  await page.fill(tid("input-confirm"), password);
  await page.fill(tid("input-display-name"), displayName);
  await page.click(tid("register-submit"));
  await page.locator(tid("home-greeting")).waitFor();
  assert.match(await page.locator(tid("home-greeting")).innerText(), new RegExp(displayName));
}

export async function loginWithPassword(page, account, password) {
  await page.goto(`${BASE_URL}/login`);
  await page.fill(tid("login-account"), account);
  await page.fill(tid("login-password"), password);
  await page.click(tid("login-submit"));
  await page.locator(tid("user-menu")).waitFor();
}

/** Clicks an element inside an antd popup (dropdown, popconfirm) once its opening animation has settled. */
export async function clickWhenSettled(page, selector) {
  const element = page.locator(selector);
  await element.waitFor({ state: "visible" });
  await page.waitForTimeout(250);
  await element.click();
}

/**
 * Checks a checkbox in a dialog that may still be opening: antd's modal can let a click land during its zoom-in
 * without the box changing (seen on a loaded CI box), so wait for it to settle and try again until it is checked.
 */
export async function checkWhenSettled(page, box) {
  await box.waitFor({ state: "attached" });
  for (let attempt = 1; attempt <= 4; attempt++) {
    if (await box.isChecked()) return;
    await page.waitForTimeout(250);
    try {
      await box.check({ timeout: 3000 });
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
  if (!(await box.isChecked())) throw new Error("the checkbox did not stay checked");
}

export async function logoutViaMenu(page) {
  // antd's dropdown can swallow a click that lands while it is still opening (seen on a loaded CI box):
  // open it, let it settle, click, and open it again if no navigation followed. Logging out twice is harmless.
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!(await page.locator(tid("menu-logout")).isVisible())) await page.click(tid("user-menu"));
    await clickWhenSettled(page, tid("menu-logout"));
    try {
      await page.waitForURL(/\/login/, { timeout: 5000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Logs in on the 验证码登录 tab with a code read from the outbox; recipient is how the outbox names the account. */
export async function loginWithCode(page, account, recipient) {
  await page.goto(`${BASE_URL}/login`);
  await page.click(tid("tab-login-code"));
  await page.fill(tid("login-code-account"), account);
  const mark = outboxMark();
  await page.click(tid("send-code"));
  const code = await waitForCode(recipient, mark);
  await page.locator(tid("send-code")).filter({ hasText: /\d+/ }).waitFor();
  await page.fill(tid("login-code"), code);
  await page.click(tid("login-code-submit"));
  await page.locator(tid("user-menu")).waitFor();
}

/** Fills the required fields of the enterprise form (on /enterprises/new) and uploads a licence image. */
export async function fillEnterpriseForm(page, { legalName, creditCode, address = "福建省福州市鼓楼区五四路 88 号" }) {
  await page.fill(tid("ent-legal-name"), legalName);
  await page.fill(tid("ent-credit-code"), creditCode);
  await page.fill(tid("ent-legal-rep"), "张伟");
  await page.fill(tid("ent-address"), address);
  await page.fill(tid("ent-contact-name"), "李娜");
  await page.fill(tid("ent-contact-phone"), "13800138000");
  await page.locator(`${tid("licence-field")} input[type=file]`).setInputFiles({ name: "营业执照.png", mimeType: "image/png", buffer: makePng() });
  await page.locator(tid("licence-uploaded")).waitFor();
}
