// Main browser scenario: registration → enterprise creation and verification → invitation → membership.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, OPERATOR_EMAIL, OPERATOR_PASSWORD, closeAll, launch, randomCreditCode, shot, stepper, uniqueEmail, uniquePhone } from "./lib.mjs";
import { checkWhenSettled, clickWhenSettled, fillEnterpriseForm, loginWithPassword, logoutViaMenu, registerViaUi, tid } from "./flows.mjs";

after(closeAll);


test("enterprise onboarding: register, verify, invite, accept", async (t) => {
  assert.ok(OPERATOR_EMAIL && OPERATOR_PASSWORD, "B2BTRADE_E2E_OPERATOR_EMAIL / _PASSWORD must be set");
  const step = stepper(t);
  const run = Date.now().toString(36).toUpperCase();
  // A verified code cannot be verified twice, so every run uses a fresh valid code (e.g. 91350100M000100Y43).
  const CREDIT_CODE = randomCreditCode();
  const phoneA = uniquePhone();
  const passwordA = "Steel#2026trade";
  const nameA = `采购经理A-${run}`;
  const legalName = `福建闽钢贸易有限公司${run}`;
  const emailB = uniqueEmail("buyer-b");
  const passwordB = "Ore&Coal2026!";
  const nameB = `员工B-${run}`;
  let A, enterpriseUrl;

  await step("A registers as an enterprise user by phone", async () => {
    A = await launch();
    await registerViaUi(A.page, { kind: "phone", address: phoneA, password: passwordA, displayName: nameA });
    await shot(A.page, "03-home");
  });

  await step("A logs out and logs in again with the password", async () => {
    await logoutViaMenu(A.page);
    await shot(A.page, "01-login");
    await loginWithPassword(A.page, phoneA, passwordA);
    await A.page.locator(tid("home-greeting")).waitFor();
  });

  await step("A creates an enterprise with a licence and a bank account", async () => {
    const page = A.page;
    await page.click(tid("nav-enterprises"));
    await page.click(tid("enterprise-create"));
    // A wrong check character is caught in the browser.
    await page.fill(tid("ent-credit-code"), "91350100M000100Y44");
    await page.locator("#enterprise_unifiedSocialCreditCode_help").waitFor();
    await fillEnterpriseForm(page, { legalName, creditCode: CREDIT_CODE });
    await page.click(tid("bank-add"));
    const row = page.locator(tid("bank-row")).first();
    await row.locator("input").nth(0).fill("中国工商银行");
    await row.locator("input").nth(1).fill("福州分行营业部");
    assert.equal(await row.locator("input").nth(2).inputValue(), legalName, "account name defaults to the legal name");
    await row.locator("input").nth(3).fill("6222020200112233445");
    await page.locator(tid("ent-is-seller")).check();
    await shot(page, "05-enterprise-form");
    await page.click(tid("enterprise-save"));
    await page.locator(tid("enterprise-submit-verification")).waitFor();
    enterpriseUrl = page.url();
    assert.match(enterpriseUrl, /\/enterprises\/[^/]+$/);
    assert.equal(await page.locator(tid("verification-status")).first().innerText(), "未认证");
  });

  await step("A submits the enterprise for verification", async () => {
    await A.page.click(tid("enterprise-submit-verification"));
    await A.page.locator(`${tid("verification-status")}[data-status="PENDING"]`).waitFor();
    assert.equal(await A.page.locator(tid("verification-status")).first().innerText(), "审核中");
    await shot(A.page, "06-enterprise-detail");
  });

  await step("the operator approves it in the review queue", async () => {
    const op = await launch();
    await loginWithPassword(op.page, OPERATOR_EMAIL, OPERATOR_PASSWORD);
    await op.page.click(tid("nav-review"));
    const row = op.page.locator(tid("review-row")).filter({ hasText: legalName });
    await row.waitFor();
    await shot(op.page, "08-review-queue");
    await row.locator(tid("review-open")).click();
    await op.page.locator(`${tid("licence-card")} img`).waitFor();
    await shot(op.page, "09-review-detail");
    await op.page.click(tid("review-approve"));
    await clickWhenSettled(op.page, tid("review-approve-confirm"));
    await op.page.locator(`${tid("verification-status")}[data-status="VERIFIED"], ${tid("review-action-error")}`).first().waitFor({ timeout: 30_000 });
    const actionError = op.page.locator(tid("review-action-error"));
    assert.equal(await actionError.count(), 0, `approve failed: ${(await actionError.count()) ? await actionError.innerText() : ""}`);
    await op.page.click(tid("nav-outbox"));
    await op.page.locator(`${tid("outbox-table")} tbody tr`).first().waitFor();
    await shot(op.page, "10-outbox");
    await op.context.close();
  });

  await step("A sees 已认证", async () => {
    await A.page.goto(`${BASE_URL}/enterprises`);
    const row = A.page.locator(tid("enterprise-row")).filter({ hasText: legalName });
    await row.locator(`${tid("verification-status")}[data-status="VERIFIED"]`).waitFor();
    assert.equal(await row.locator(tid("verification-status")).innerText(), "已认证");
    await shot(A.page, "04-enterprises");
  });

  await step("A invites B by email as 采购", async () => {
    const page = A.page;
    await page.goto(`${enterpriseUrl}?tab=members`);
    await page.click(tid("member-invite"));
    const modal = page.locator(".ant-modal").filter({ has: page.locator(tid("invite-submit")) });
    await modal.locator(tid("tab-email")).click();
    await modal.locator(tid("input-email")).fill(emailB);
    const purchaser = modal.locator(".ant-checkbox-wrapper").filter({ has: page.locator(tid("role-option-purchaser")) }).locator("input");
    await checkWhenSettled(page, purchaser);
    await shot(page, "07-invite");
    await modal.locator(tid("invite-submit")).click();
    await page.locator(tid("pending-invitations")).waitFor();
    await page.locator(`${tid("pending-invitations")} ${tid("role-tag-purchaser")}`).waitFor();
  });

  await step("B registers with that email, sees the invitation and accepts", async () => {
    const B = await launch();
    await registerViaUi(B.page, { kind: "email", address: emailB, password: passwordB, displayName: nameB });
    await B.page.click(tid("nav-invitations"));
    const row = B.page.locator(tid("invitation-row")).filter({ hasText: legalName });
    await row.waitFor();
    await row.locator(tid("role-tag-purchaser")).waitFor();
    await shot(B.page, "11-invitations");
    await row.locator(tid("invitation-accept")).click();
    await B.page.waitForURL(/\/enterprises\/[^/]+$/);
    await B.context.close();
  });

  await step("A's member list shows B as 采购", async () => {
    await A.page.goto(`${enterpriseUrl}?tab=members`);
    const row = A.page.locator(tid("member-row")).filter({ hasText: nameB });
    await row.waitFor();
    assert.equal(await row.locator(tid("role-tag-purchaser")).innerText(), "采购");
    await shot(A.page, "12-members");
  });
});
