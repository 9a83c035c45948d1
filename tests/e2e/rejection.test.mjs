// Second browser scenario: code login → enterprise submitted → operator rejects with a reason → user fixes and
// resubmits → logout everywhere.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, OPERATOR_EMAIL, OPERATOR_PASSWORD, closeAll, launch, randomCreditCode, shot, stepper, uniqueEmail } from "./lib.mjs";
import { clickWhenSettled, fillEnterpriseForm, loginWithCode, loginWithPassword, logoutViaMenu, registerViaUi, tid } from "./flows.mjs";

after(closeAll);

test("verification rejected, fixed and resubmitted; code login; logout everywhere", async (t) => {
  assert.ok(OPERATOR_EMAIL && OPERATOR_PASSWORD, "B2BTRADE_E2E_OPERATOR_EMAIL / _PASSWORD must be set");
  const step = stepper(t);
  const run = Date.now().toString(36).toUpperCase();
  const email = uniqueEmail("seller-c");
  const name = `销售经理C-${run}`;
  const legalName = `厦门海联供应链有限公司${run}`;
  const oldAddress = "福建省厦门市思明区鹭江道 8 号";
  const newAddress = "福建省厦门市湖里区五缘湾道 66 号";
  const reason = `营业执照上的注册地址与填写的不一致（${run}）`;
  let C, enterpriseUrl;

  await step("C registers by email, logs out and logs in with a verification code", async () => {
    C = await launch();
    await registerViaUi(C.page, { kind: "email", address: email, password: "Harbour#2026ship", displayName: name });
    await logoutViaMenu(C.page);
    await loginWithCode(C.page, email, email.toLowerCase());
    assert.match(await C.page.locator(tid("user-name")).innerText(), new RegExp(name));
  });

  await step("C creates an enterprise and submits it for verification", async () => {
    const page = C.page;
    await page.click(tid("nav-enterprises"));
    await page.click(tid("enterprise-create"));
    await fillEnterpriseForm(page, { legalName, creditCode: randomCreditCode(), address: oldAddress });
    await page.click(tid("enterprise-save"));
    await page.locator(tid("enterprise-submit-verification")).waitFor();
    enterpriseUrl = page.url();
    await page.click(tid("enterprise-submit-verification"));
    await page.locator(`${tid("verification-status")}[data-status="PENDING"]`).waitFor();
  });

  await step("the operator rejects it with a reason", async () => {
    const op = await launch();
    await loginWithPassword(op.page, OPERATOR_EMAIL, OPERATOR_PASSWORD);
    await op.page.click(tid("nav-review"));
    const row = op.page.locator(tid("review-row")).filter({ hasText: legalName });
    await row.locator(tid("review-open")).click();
    await op.page.click(tid("review-reject"));
    await op.page.fill(tid("review-reject-reason"), reason);
    await op.page.click(tid("review-reject-submit"));
    await op.page.locator(`${tid("verification-status")}[data-status="REJECTED"]`).waitFor();
    await shot(op.page, "13-review-rejected");
    await op.context.close();
  });

  await step("C sees 已驳回 and the reason", async () => {
    await C.page.goto(`${BASE_URL}/enterprises`);
    const row = C.page.locator(tid("enterprise-row")).filter({ hasText: legalName });
    await row.locator(`${tid("verification-status")}[data-status="REJECTED"]`).waitFor();
    assert.equal(await row.locator(tid("verification-status")).innerText(), "已驳回");
    // The list comes from the read model, which has no rejection reason; the detail page shows it.
    await C.page.goto(enterpriseUrl);
    await C.page.locator(`${tid("verification-status")}[data-status="REJECTED"]`).waitFor();
    assert.ok((await C.page.locator(tid("verification-alert")).innerText()).includes(reason), "the detail page shows the reason");
    await shot(C.page, "14-enterprise-rejected");
  });

  await step("C corrects the registered address and resubmits (审核中)", async () => {
    const page = C.page;
    await page.click(tid("enterprise-edit"));
    // Wait for the saved profile to be loaded into the form before editing it.
    await page.waitForFunction((sel) => document.querySelector(sel)?.value !== "", tid("ent-address"));
    assert.equal(await page.locator(tid("ent-address")).inputValue(), oldAddress);
    await page.fill(tid("ent-address"), newAddress);
    await page.click(tid("enterprise-save-submit"));
    await page.waitForURL(enterpriseUrl);
    await page.locator(`${tid("verification-status")}[data-status="PENDING"]`).waitFor();
    assert.equal(await page.locator(tid("verification-status")).first().innerText(), "审核中");
    await page.locator(".ant-descriptions").filter({ hasText: newAddress }).waitFor();
  });

  await step("C logs out everywhere from the account page and is sent to login", async () => {
    const page = C.page;
    await page.click(tid("user-menu"));
    await clickWhenSettled(page, tid("menu-account"));
    await page.click(tid("account-logout-everywhere"));
    await clickWhenSettled(page, tid("account-logout-everywhere-confirm"));
    await page.waitForURL(/\/login/);
    await page.locator(tid("login-submit")).waitFor();
    // The session is gone: a protected page sends the user back to login.
    await page.goto(`${BASE_URL}/account`);
    await page.waitForURL(/\/login/);
  });
});
