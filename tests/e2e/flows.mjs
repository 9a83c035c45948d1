// Page-level actions shared by the scenarios (selectors are the app's data-testid attributes).
import assert from "node:assert/strict";
import { BASE_URL, outboxMark, waitForCode } from "./lib.mjs";

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

export async function logoutViaMenu(page) {
  await page.click(tid("user-menu"));
  await page.click(tid("menu-logout"));
  await page.waitForURL(/\/login/);
}
