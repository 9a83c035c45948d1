// Orders and electronic contracts in two live browsers: a seller lists rebar, sets a freight rule (运费规则) and makes
// itself a Signatory; a buyer does the same on its side, inquires, the seller quotes, the buyer accepts → 立即下单 → the
// order form shows the agreed terms and the platform's fee breakdown (goods + freight, 大写) → submit; the seller's
// 订单管理 shows the order without a reload, the seller confirms, each side's Signatory enrols a signing key and signs,
// the contract shows 已生效 and the order 合同已生效; the verification page says valid for the stored document and
// tampered for a downloaded PDF with one changed byte. The seller's Signatory then forgets the signing secret: a code to
// the login email replaces the key, the old secret is refused and the new one signs the second order's contract.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE_URL, OPERATOR_EMAIL, OPERATOR_PASSWORD, closeAll, launch, outboxMark, shot, stepper, uniqueEmail, waitForCode } from "./lib.mjs";
import { checkWhenSettled, clickWhenSettled, registerViaUi, tid } from "./flows.mjs";
import { approveAsOperator, createListing, createSellerEnterprise, eventually, pickOption } from "./catalog-flows.mjs";
import { acceptQuote, assertNotReloaded, createBuyerEnterprise, dayFromToday, fillDate, markPage, setField, submitOffer, waitThreadStatus } from "./negotiation-flows.mjs";

after(closeAll);

const run = Date.now().toString(36).toUpperCase();
const TAG = `OR${run}`;

/** Gives the (only) member of the enterprise — the caller, its creator — the Signatory role with a signing limit. */
async function makeSelfSignatory(page, enterpriseId, limit) {
  await page.goto(`${BASE_URL}/enterprises/${enterpriseId}?tab=members`);
  await page.locator(`${tid("members-table")} ${tid("member-row")}`).first().locator(tid("member-edit-roles")).click();
  const modal = page.locator(".ant-modal").filter({ has: page.locator(tid("roles-submit")) });
  const box = modal.locator(".ant-checkbox-wrapper").filter({ has: page.locator(tid("role-option-signatory")) }).locator("input");
  await checkWhenSettled(page, box);
  await modal.locator(tid("input-signing-limit")).fill(limit);
  await modal.locator(tid("roles-submit")).click();
  await page.locator(`${tid("members-table")} ${tid("role-tag-signatory")}`).waitFor();
}

/** Waits for the order page's status tag. */
async function waitOrderStatus(page, status, timeout = 15_000) {
  await page.locator(`${tid("order-status")}[data-status="${status}"]`).waitFor({ timeout });
}

async function waitContractStatus(page, status, timeout = 15_000) {
  await page.locator(`${tid("contract-status")}[data-status="${status}"]`).waitFor({ timeout });
}

/** The sign dialog: first signature enrols a key (secret typed twice), then signs the hash shown on the page. */
async function signContract(page, secret) {
  const hash = await page.locator(tid("contract-hash")).getAttribute("data-hash");
  assert.match(hash ?? "", /^[0-9a-f]{64}$/, "the page shows the document's SHA-256");
  await page.click(tid("contract-sign"));
  await page.locator(tid("sign-enrol-hint")).waitFor();
  assert.equal((await page.locator(tid("sign-hash")).innerText()).replace(/\s/g, ""), hash, "the dialog shows the hash that is signed");
  await page.fill(tid("sign-secret"), secret);
  await page.fill(tid("sign-secret-repeat"), secret);
  await page.locator(tid("sign-read")).check();
  await page.click(tid("sign-submit"));
  await page.locator(tid("sign-submit")).waitFor({ state: "detached", timeout: 20_000 });
}

test("accept a quote → order with the fee breakdown → seller confirms → both sign → contract effective, verified and tamper-evident", async (t) => {
  assert.ok(OPERATOR_EMAIL && OPERATOR_PASSWORD, "B2BTRADE_E2E_OPERATOR_EMAIL / _PASSWORD must be set");
  const step = stepper(t);
  const sellerName = `天津荣程钢铁销售有限公司${run}`;
  const buyerName = `上海城建物资采购有限公司${run}`;
  let S;
  let B;
  let sellerId = "";
  let buyerId = "";
  let listingId = "";
  let threadId = "";
  let orderId = "";
  let contractId = "";
  let cartOrderId = "";
  const sellerEmail = uniqueEmail("ord-seller");
  const sellerSecret = `Seller#Sign${run}`;

  await step("S: a verified seller with a rebar listing, a freight rule to 上海市 and the Signatory role; B: a verified buyer, Signatory too", async () => {
    const [seller, buyer] = await Promise.all([launch(), launch()]);
    S = seller.page;
    B = buyer.page;
    await Promise.all([
      (async () => {
        await registerViaUi(S, { kind: "email", address: sellerEmail, password: "Order#2026sell", displayName: `销售周-${run}` });
        sellerId = await createSellerEnterprise(S, sellerName);
        await approveAsOperator(sellerName);
        listingId = await createListing(S, sellerId, {
          category: ["金属矿产", "钢材", "螺纹钢"],
          name: `螺纹钢 HRB400E Φ20 12米 荣程 ${TAG}`,
          enums: { grade: "HRB400E", length: "12米", mill: "沙钢" },
          numbers: { diameter: "20" },
          origin: "天津",
          unitPrice: "3650",
          moq: "10",
          stock: "800",
          weight: "1",
          city: "天津",
          address: "天津市东丽区津塘公路 88 号",
        });
        await S.goto(`${BASE_URL}/seller/freight-rules`);
        await S.click(tid("freight-add"));
        await pickOption(S, "freight-province-0", "上海市");
        await S.fill(tid("freight-amount-0"), "30");
        await S.click(tid("freight-save"));
        await S.locator(".ant-message").filter({ hasText: "运费规则已保存" }).waitFor();
        await makeSelfSignatory(S, sellerId, "5000000");
      })(),
      (async () => {
        await registerViaUi(B, { kind: "email", address: uniqueEmail("ord-buyer"), password: "Order#2026buy", displayName: `采购孙-${run}` });
        buyerId = await createBuyerEnterprise(B, buyerName);
        await approveAsOperator(buyerName);
        await makeSelfSignatory(B, buyerId, "5000000");
      })(),
    ]);
  });

  await step("B inquires 100 t to 上海, S quotes ¥3,650/t ex-works, B accepts", async () => {
    await B.goto(`${BASE_URL}/inquiries/new?listing=${listingId}`);
    await eventually(async () => (await B.locator(tid("terms-product-name")).inputValue()).includes(TAG), { message: "product name prefilled" });
    await setField(B, "terms-quantity", "100");
    await setField(B, "terms-unit-price", "3600");
    await fillDate(B, "terms-delivery-date", dayFromToday(20));
    await B.fill(tid("terms-delivery-place"), "上海市浦东新区 张江工地");
    await pickOption(B, "terms-transport", "汽运");
    await B.click(tid("terms-basis-ex-works"));
    await pickOption(B, "terms-balance-timing", "货到付款");
    await B.click(tid("inquiry-submit"));
    await B.waitForURL(/\/negotiations\/thr_[^/?#]+$/, { timeout: 20_000 });
    threadId = /\/negotiations\/([^/?#]+)$/.exec(B.url())[1];

    await S.goto(`${BASE_URL}/negotiations/${threadId}`);
    await waitThreadStatus(S, "AWAITING_QUOTE");
    await S.click(tid("action-quote"));
    await S.locator(tid("terms-unit-price")).waitFor();
    await setField(S, "terms-unit-price", "3650");
    await submitOffer(S);
    await waitThreadStatus(S, "QUOTED");

    await waitThreadStatus(B, "QUOTED");
    await acceptQuote(B);
    await waitThreadStatus(B, "ACCEPTED");
  });

  await step("立即下单: the order form shows the agreed terms and a live fee breakdown with freight from the seller's rule", async () => {
    await B.locator(tid("thread-order-now")).click();
    await B.waitForURL(new RegExp(`/orders/new\\?thread=${threadId}$`));
    await B.locator(tid("order-goods")).waitFor();
    assert.match(await B.locator(`${tid("order-goods")} ${tid("term-quantity")}`).innerText(), /100\.000/);
    assert.match(await B.locator(`${tid("order-goods")} ${tid("term-unit-price")}`).innerText(), /¥3,650\.00/);
    assert.match(await B.locator(tid("order-form-seller")).innerText(), new RegExp(sellerName));
    // Prefilled: the province of the agreed place (a municipality is its own city) and the invoice title / tax number.
    await B.locator(tid("order-province")).filter({ hasText: "上海市" }).waitFor();
    assert.equal(await B.locator(tid("order-city")).inputValue(), "上海市");
    assert.equal(await B.locator(tid("order-invoice-title")).inputValue(), buyerName);
    assert.match(await B.locator(tid("order-invoice-tax-number")).inputValue(), /^[0-9A-Z]{18}$/);
    await B.fill(tid("order-district"), "浦东新区");
    await B.fill(tid("order-street"), "张江路 100 号 3 号工地");
    if (!(await B.locator(tid("order-contact-name")).inputValue())) await B.fill(tid("order-contact-name"), "李娜");
    await B.fill(tid("order-contact-phone"), "13800138000");
    if (!(await B.locator(tid("order-invoice-bank")).inputValue())) await B.fill(tid("order-invoice-bank"), "中国工商银行 上海分行营业部");
    if (!(await B.locator(tid("order-invoice-account")).inputValue())) await B.fill(tid("order-invoice-account"), "1001234509876543");
    if (!(await B.locator(tid("order-invoice-phone")).inputValue())) await B.fill(tid("order-invoice-phone"), "021-58881234");
    // 100 t × ¥3,650 = ¥365,000 goods + 100 t × ¥30 freight to 上海市 = ¥368,000.
    await B.locator(tid("preview-total")).filter({ hasText: "¥368,000.00" }).waitFor({ timeout: 15_000 });
    const goods = B.locator(`${tid("preview-item")}[data-kind="GOODS"] ${tid("item-amount")}`);
    const freight = B.locator(`${tid("preview-item")}[data-kind="FREIGHT"] ${tid("item-amount")}`);
    assert.equal((await goods.innerText()).trim(), "¥365,000.00");
    assert.equal((await freight.innerText()).trim(), "¥3,000.00");
    assert.equal((await B.locator(tid("preview-words")).innerText()).trim(), "叁拾陆万捌仟元整");
    await shot(B, "60-order-form");
  });

  await step("B submits; S's 订单管理 shows the new order without a reload", async () => {
    await S.goto(`${BASE_URL}/seller/orders`);
    await S.locator(tid("order-table")).waitFor();
    await markPage(S);
    await B.click(tid("order-submit"));
    await B.waitForURL(/\/orders\/ord_[^/?#]+$/, { timeout: 20_000 });
    orderId = /\/orders\/([^/?#]+)$/.exec(B.url())[1];
    await waitOrderStatus(B, "PENDING_CONFIRMATION");
    assert.equal((await B.locator(tid("order-breakdown-total")).innerText()).trim(), "¥368,000.00");
    const row = S.locator(`${tid("order-row")}[data-order-id="${orderId}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.getAttribute("data-status"), "PENDING_CONFIRMATION");
    assert.match(await row.innerText(), new RegExp(buyerName));
    assert.equal((await row.locator(tid("order-row-total")).innerText()).trim(), "¥368,000.00");
    await assertNotReloaded(S);
    await shot(S, "61-seller-orders");
  });

  await step("From the cart: B adds the listing, orders it from 购物车, and the ordered line leaves the cart", async () => {
    await B.goto(`${BASE_URL}/catalog/listings/${listingId}`);
    await B.click(tid("listing-add-cart"));
    await B.locator(".ant-message").filter({ hasText: "购物车" }).first().waitFor();
    await B.goto(`${BASE_URL}/cart`);
    const line = B.locator(`${tid("cart-row")}[data-listing-id="${listingId}"]`);
    await line.waitFor();
    await line.locator(".ant-checkbox-input").check();
    await B.click(tid("cart-order"));
    await B.waitForURL(/\/orders\/new\?lines=/);
    await B.locator(tid("order-goods")).waitFor();
    await fillDate(B, "order-delivery-date", dayFromToday(25));
    await pickOption(B, "order-transport", "汽运");
    await pickOption(B, "order-province", "上海市");
    await setField(B, "order-city", "上海市");
    await B.fill(tid("order-district"), "浦东新区");
    await B.fill(tid("order-street"), "张江路 100 号 3 号工地");
    await setField(B, "order-contact-name", "李娜");
    await setField(B, "order-contact-phone", "13800138000");
    await setField(B, "order-invoice-title", buyerName);
    if (!(await B.locator(tid("order-invoice-tax-number")).inputValue())) throw new Error("the buyer's tax number should be prefilled");
    await setField(B, "order-invoice-bank", "中国工商银行 上海分行营业部");
    await setField(B, "order-invoice-account", "1001234509876543");
    await setField(B, "order-invoice-phone", "021-58881234");
    // The MOQ of 10 t × ¥3,650 + 10 t × ¥30 freight to 上海市.
    await B.locator(tid("preview-total")).filter({ hasText: "¥36,800.00" }).waitFor({ timeout: 15_000 }).catch(async (e) => {
      await shot(B, "62-cart-order-form-failed");
      throw e;
    });
    await B.click(tid("order-submit"));
    await B.waitForURL(/\/orders\/ord_[^/?#]+$/, { timeout: 20_000 });
    cartOrderId = /\/orders\/([^/?#]+)$/.exec(B.url())[1];
    await waitOrderStatus(B, "PENDING_CONFIRMATION");
    await B.goto(`${BASE_URL}/cart`);
    await B.locator(tid("cart-table")).waitFor();
    await eventually(async () => (await B.locator(tid("cart-row")).count()) === 0, { message: "the ordered line left the cart" });
    // Back to the first order, where the next step waits for the seller's confirmation.
    await B.goto(`${BASE_URL}/orders/${orderId}`);
    await waitOrderStatus(B, "PENDING_CONFIRMATION");
  });

  await step("S confirms; the contract is generated; B sees 已确认 live", async () => {
    await markPage(B);
    await S.locator(`${tid("order-row")}[data-order-id="${orderId}"] ${tid("order-row-link")}`).click();
    await waitOrderStatus(S, "PENDING_CONFIRMATION");
    await S.click(tid("order-confirm"));
    await clickWhenSettled(S, tid("order-confirm-ok"));
    await waitOrderStatus(S, "CONFIRMED");
    await S.locator(tid("order-contract-link")).waitFor();
    await waitOrderStatus(B, "CONFIRMED", 20_000);
    await assertNotReloaded(B);
    const events = await S.locator(tid("order-event")).evaluateAll((els) => els.map((e) => e.dataset.status));
    assert.deepEqual(events, ["PENDING_CONFIRMATION", "CONFIRMED"], "the timeline shows each status once, oldest first");
  });

  await step("S's Signatory enrols a key and signs: the contract is partly signed", async () => {
    await S.click(tid("order-contract-link"));
    await S.waitForURL(/\/contracts\/ctr_[^/?#]+$/);
    contractId = /\/contracts\/([^/?#]+)$/.exec(S.url())[1];
    await waitContractStatus(S, "PENDING_SIGNATURES");
    assert.match(await S.locator(tid("contract-buyer-name")).innerText(), new RegExp(buyerName));
    assert.match(await S.locator(tid("contract-seller-name")).innerText(), new RegExp(sellerName));
    assert.equal((await S.locator(tid("contract-total")).innerText()).trim(), "¥368,000.00");
    assert.equal((await S.locator(tid("contract-total-words")).innerText()).trim(), "叁拾陆万捌仟元整");
    assert.ok((await S.locator(tid("contract-clause")).count()) >= 8, "the contract has its clauses");
    await S.click(tid("contract-tab-html"));
    const frame = S.locator(tid("contract-html"));
    await frame.waitFor();
    assert.equal(await frame.getAttribute("sandbox"), "", "the HTML view runs sandboxed");
    await shot(S, "62-contract");
    await signContract(S, sellerSecret);
    await waitContractStatus(S, "PARTIALLY_SIGNED");
    assert.equal(await S.locator(`${tid("contract-signature")}[data-side="seller"]`).count(), 1);
    assert.equal(await S.locator(tid("contract-sign")).count(), 0, "the seller signed once, nothing more to sign");
    await markPage(S);
  });

  await step("B's Signatory signs: the contract is 已生效 for both, and the order 合同已生效", async () => {
    await B.click(tid("order-contract-link"));
    await B.waitForURL(new RegExp(`/contracts/${contractId}$`));
    await waitContractStatus(B, "PARTIALLY_SIGNED");
    await signContract(B, `Buyer#Sign${run}`);
    await waitContractStatus(B, "EFFECTIVE");
    await B.locator(tid("contract-effective")).waitFor();
    const sides = await B.locator(tid("contract-signature")).evaluateAll((els) => els.map((e) => e.dataset.side).sort());
    assert.deepEqual(sides, ["buyer", "seller"]);
    await waitContractStatus(S, "EFFECTIVE", 20_000);
    await assertNotReloaded(S);
    await B.goto(`${BASE_URL}/orders/${orderId}`);
    await waitOrderStatus(B, "CONTRACT_EFFECTIVE");
    await B.locator(`${tid("order-contract-status")}[data-status="EFFECTIVE"]`).waitFor();
    await shot(B, "63-order-effective");
  });

  await step("the verification page says valid for the stored document and tampered for a PDF with one changed byte", async () => {
    await B.goto(`${BASE_URL}/contracts/${contractId}`);
    await waitContractStatus(B, "EFFECTIVE");
    const [download] = await Promise.all([B.waitForEvent("download"), B.click(tid("contract-download"))]);
    const pdf = readFileSync(await download.path());
    assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-", "the download is the PDF");
    await B.click(tid("contract-verify-link"));
    await B.waitForURL(new RegExp(`/contracts/${contractId}/verify$`));
    await B.click(tid("verify-stored"));
    await B.locator(`${tid("verify-verdict")}[data-verdict="valid"]`).waitFor();
    assert.equal(await B.locator(`${tid("verify-signature")}[data-ok="1"]`).count(), 2, "both signatures check out");
    await shot(B, "64-verify-valid");

    // The downloaded copy itself verifies; one changed byte is reported as tampering.
    await B.locator("input[type=file]").setInputFiles({ name: "合同.pdf", mimeType: "application/pdf", buffer: pdf });
    await B.locator(`${tid("verify-verdict")}[data-verdict="valid"]`).filter({ hasText: /./ }).waitFor();
    await eventually(async () => (await B.locator(".ant-result-subtitle").innerText()).includes("合同.pdf"), { message: "the uploaded copy was checked" });
    const changed = Buffer.from(pdf);
    const at = Math.floor(changed.length / 2);
    changed[at] = changed[at] ^ 0x01;
    await B.locator("input[type=file]").setInputFiles({ name: "合同-改.pdf", mimeType: "application/pdf", buffer: changed });
    await B.locator(`${tid("verify-verdict")}[data-verdict="tampered"]`).waitFor();
    assert.equal(await B.locator(`${tid("verify-intact")}[data-ok="0"]`).count(), 1);
    assert.ok((await B.locator(tid("verify-finding")).count()) >= 1, "the findings say what is wrong");
    await shot(B, "65-verify-tampered");
  });

  await step("S forgot the signing secret: a code to the login email replaces the key; the old secret is refused, the new one signs the second contract", async () => {
    await S.goto(`${BASE_URL}/orders/${cartOrderId}`);
    await waitOrderStatus(S, "PENDING_CONFIRMATION");
    await S.click(tid("order-confirm"));
    await clickWhenSettled(S, tid("order-confirm-ok"));
    await waitOrderStatus(S, "CONFIRMED");
    await S.click(tid("order-contract-link"));
    await S.waitForURL(/\/contracts\/ctr_[^/?#]+$/);
    await waitContractStatus(S, "PENDING_SIGNATURES");

    await S.click(tid("contract-sign"));
    const oldKeyId = await S.locator(tid("sign-key")).getAttribute("data-key-id");
    assert.match(oldKeyId ?? "", /\S/, "the dialog names the enrolled key");
    await S.click(tid("sign-forgot"));
    await S.fill(tid("sign-reset-address"), sellerEmail);
    const mark = outboxMark();
    await S.click(tid("sign-reset-send"));
    const code = await waitForCode(sellerEmail.toLowerCase(), mark);
    await S.locator(tid("sign-reset-send")).filter({ hasText: /\d+/ }).waitFor();
    const newSecret = `Seller#New${run}`;
    await S.fill(tid("sign-reset-code"), code);
    await S.fill(tid("sign-reset-secret"), newSecret);
    await S.fill(tid("sign-reset-secret-repeat"), newSecret);
    await shot(S, "66-sign-reset");
    await S.click(tid("sign-reset-submit"));
    await S.locator(tid("sign-reset-done")).waitFor({ timeout: 20_000 });
    const newKeyId = await S.locator(tid("sign-key")).getAttribute("data-key-id");
    assert.notEqual(newKeyId, oldKeyId, "a new key replaced the old one");
    assert.match(await S.locator(tid("sign-reset-done")).innerText(), new RegExp(newKeyId));
    await shot(S, "67-sign-reset-done");

    // The old secret no longer opens the key; the new one signs.
    await S.fill(tid("sign-secret"), sellerSecret);
    await checkWhenSettled(S, S.locator(tid("sign-read")));
    await S.click(tid("sign-submit"));
    await S.locator(tid("sign-error")).filter({ hasText: "签署密码错误" }).waitFor({ timeout: 20_000 });
    assert.equal(await S.locator(tid("contract-signature")).count(), 0, "nothing was signed with the old secret");
    await S.fill(tid("sign-secret"), newSecret);
    await S.click(tid("sign-submit"));
    await S.locator(tid("sign-submit")).waitFor({ state: "detached", timeout: 20_000 });
    await waitContractStatus(S, "PARTIALLY_SIGNED");
    assert.equal(await S.locator(`${tid("contract-signature")}[data-side="seller"] ${tid("signature-key-id")}`).innerText(), newKeyId, "signed with the new key");
  });
});
