// Negotiation (询盘 / 报价 / 议价 / 洽谈) browser scenario with two live browsers: a buyer inquires on a seller's rebar
// listing with an attachment; the seller sees it arrive in 询盘管理 (and the 消息中心 badge go up) without a reload
// and quotes with freight; the buyer sees the quote live and counters on price and delivery date; the seller sees
// the counter live with the diff; the buyer chats with a file, and markup typed into the chat stays text; the seller
// answers the counter with a revised quote (接受还价); the buyer accepts it live and the seller sees 已成交 live.
// A second test sends one RFQ (询价单) to that seller and a second one from the search results, compares their quotes
// side by side (lowest total highlighted) and awards one: the winner sees 已成交 and the other 已关闭, live.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, OPERATOR_EMAIL, OPERATOR_PASSWORD, closeAll, launch, makePng, shot, stepper, uniqueEmail } from "./lib.mjs";
import { clickWhenSettled, registerViaUi, tid } from "./flows.mjs";
import { approveAsOperator, createListing, createSellerEnterprise, eventually, pickOption, row, waitForTotal } from "./catalog-flows.mjs";
import {
  acceptQuote,
  assertNotReloaded,
  chatMessages,
  createBuyerEnterprise,
  currentOffer,
  dayFromToday,
  diffRows,
  fillDate,
  makePdf,
  markPage,
  setField,
  submitOffer,
  unreadBadge,
  waitCurrentVersion,
  waitPreviewTotal,
  waitThreadStatus,
} from "./negotiation-flows.mjs";

after(closeAll);

const run = Date.now().toString(36).toUpperCase();
const TAG = `NG${run}`;
const XSS = "<img src=x onerror=alert(1)>";
// The first test's seller, buyer and listing, reused by the RFQ test.
const shared = { S: null, B: null, listingId: "", sellerName: "" };

test("a buyer and a seller negotiate an inquiry live: quote, counter, chat with a file, revised quote, acceptance", async (t) => {
  assert.ok(OPERATOR_EMAIL && OPERATOR_PASSWORD, "B2BTRADE_E2E_OPERATOR_EMAIL / _PASSWORD must be set");
  const step = stepper(t);
  const sellerName = `河北敬业钢铁销售有限公司${run}`;
  const buyerName = `上海建工物资采购有限公司${run}`;
  const dialogs = [];
  let S; // seller page
  let B; // buyer page
  let listingId = "";
  let threadId = "";
  let badgeBefore = 0;
  const date1 = dayFromToday(20);
  const date2 = dayFromToday(25);

  await step("S gets a verified seller enterprise and lists rebar; B gets a verified buying enterprise (side by side)", async () => {
    const [seller, buyer] = await Promise.all([launch(), launch()]);
    S = seller.page;
    B = buyer.page;
    for (const [who, page] of [
      ["S", S],
      ["B", B],
    ]) {
      page.on("dialog", (d) => {
        dialogs.push(`${who}: ${d.message()}`);
        void d.dismiss();
      });
    }
    await Promise.all([
      (async () => {
        await registerViaUi(S, { kind: "email", address: uniqueEmail("neg-seller"), password: "Quote#2026sell", displayName: `销售王-${run}` });
        const enterpriseId = await createSellerEnterprise(S, sellerName);
        await approveAsOperator(sellerName);
        listingId = await createListing(S, enterpriseId, {
          category: ["金属矿产", "钢材", "螺纹钢"],
          name: `螺纹钢 HRB400E Φ25 12米 敬业 ${TAG}`,
          enums: { grade: "HRB400E", length: "12米", mill: "沙钢" },
          numbers: { diameter: "25" },
          origin: "河北石家庄",
          unitPrice: "3650",
          moq: "10",
          stock: "800",
          weight: "1",
          city: "上海",
          address: "上海市宝山区蕰川路 1688 号",
        });
      })(),
      (async () => {
        await registerViaUi(B, { kind: "email", address: uniqueEmail("neg-buyer"), password: "Inquire#2026buy", displayName: `采购李-${run}` });
        await createBuyerEnterprise(B, buyerName);
        await approveAsOperator(buyerName);
      })(),
    ]);
  });

  await step("S waits in 询盘管理; the 消息中心 badge shows the unread count", async () => {
    await S.click(tid("nav-seller-inquiries"));
    await S.locator(tid("thread-table")).waitFor();
    await eventually(async () => (await unreadBadge(S)) !== null, { message: "the inbox badge has a count" });
    badgeBefore = await unreadBadge(S);
    await markPage(S);
  });

  await step("B opens the listing, 询价: the form starts from the listing; B sends it with a PDF attached", async () => {
    await B.goto(`${BASE_URL}/catalog/listings/${listingId}`);
    await B.click(tid("listing-inquire"));
    await B.waitForURL(/\/inquiries\/new\?listing=/);
    await eventually(async () => (await B.locator(tid("terms-product-name")).inputValue()).includes(TAG), { message: "product name prefilled" });
    assert.match(await B.locator(tid("terms-attr-grade")).innerText(), /HRB400E/);
    assert.match(await B.locator(tid("terms-attr-mill")).innerText(), /沙钢/);
    assert.match(await B.locator(tid("terms-quantity")).inputValue(), /^10(\.0+)?$/, "the minimum order");
    assert.match(await B.locator(tid("buyer-enterprise-single")).innerText(), new RegExp(buyerName));
    await setField(B, "terms-quantity", "300");
    await setField(B, "terms-unit-price", "3600");
    await fillDate(B, "terms-delivery-date", date1);
    await B.fill(tid("terms-delivery-place"), "上海市浦东新区 张江工地");
    await pickOption(B, "terms-transport", "汽运");
    await B.fill(tid("terms-quality"), "GB/T 1499.2-2018");
    await B.fill(tid("terms-deposit"), "10");
    await pickOption(B, "terms-balance-timing", "货到付款");
    await B.fill(tid("terms-notes"), "请报含运费到工地价");
    await B.locator(`${tid("attachments")} input[type=file]`).setInputFiles({ name: "技术要求.pdf", mimeType: "application/pdf", buffer: makePdf("Rebar spec") });
    await B.locator(tid("attachment-item")).filter({ hasText: "技术要求.pdf" }).waitFor({ timeout: 20_000 });
    await shot(B, "40-inquiry-form");
    await B.click(tid("inquiry-submit"));
    await B.waitForURL(/\/negotiations\/thr_[^/?#]+$/, { timeout: 20_000 });
    threadId = /\/negotiations\/([^/?#]+)$/.exec(B.url())[1];
    await waitThreadStatus(B, "AWAITING_QUOTE");
    assert.deepEqual(await currentOffer(B), { version: 1, kind: "INQUIRY" });
    assert.match(await B.locator(tid("thread-counterparty")).innerText(), new RegExp(sellerName));
    // The attachment is the thread's first message.
    await eventually(async () => (await chatMessages(B)).some((m) => m.contentType === "application/pdf" && m.mine), { message: "the PDF in the chat" });
  });

  await step("S sees the inquiry arrive in 询盘管理 without a reload, and the unread badge goes up", async () => {
    const row = S.locator(`${tid("thread-row")}[data-thread-id="${threadId}"]`);
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await row.getAttribute("data-status"), "AWAITING_QUOTE");
    assert.match(await row.innerText(), new RegExp(buyerName));
    assert.match(await row.innerText(), /300\.000/);
    await eventually(async () => (await unreadBadge(S)) > badgeBefore, { timeout: 15_000, message: "the badge counts the new inquiry" });
    await assertNotReloaded(S);
    await shot(S, "41-seller-inquiries");
  });

  await step("S opens it and quotes ¥3,650/t with freight ¥25/t; the drawer shows the platform's total", async () => {
    await S.locator(`${tid("thread-row")}[data-thread-id="${threadId}"] ${tid("thread-row-product")}`).click();
    await S.waitForURL(new RegExp(`/negotiations/${threadId}$`));
    await waitThreadStatus(S, "AWAITING_QUOTE");
    // The buyer's attachment is readable by the seller: a download link.
    await S.locator(`${tid("chat-messages")} ${tid("chat-file")}`).filter({ hasText: "技术要求.pdf" }).waitFor();
    await markPage(B);
    await S.click(tid("action-quote"));
    await S.locator(tid("terms-unit-price")).waitFor();
    assert.equal(await S.locator(tid("terms-unit-price")).inputValue(), "3600.00", "prefilled with the target price");
    assert.match(await S.locator(tid("terms-quantity")).inputValue(), /^300(\.0+)?$/);
    await setField(S, "terms-unit-price", "3650");
    await S.click(tid("service-add"));
    await pickOption(S, "service-kind-0", "运费");
    await S.fill(tid("service-amount-0"), "25");
    await waitPreviewTotal(S, "¥1,102,500.00");
    await shot(S, "42-quote-drawer");
    await submitOffer(S);
    await waitThreadStatus(S, "QUOTED");
    await waitCurrentVersion(S, 2);
  });

  await step("B sees the quote arrive live and counters on price and delivery date", async () => {
    await waitThreadStatus(B, "QUOTED");
    await waitCurrentVersion(B, 2);
    assert.equal((await B.locator(tid("current-totals-total")).innerText()).trim(), "¥1,102,500.00");
    assert.match(await B.locator(tid("term-unit-price")).innerText(), /¥3,650\.00/);
    await assertNotReloaded(B);
    await markPage(S);
    await B.click(tid("action-counter"));
    await B.locator(tid("terms-unit-price")).waitFor();
    assert.equal(await B.locator(tid("terms-unit-price")).inputValue(), "3650.00", "prefilled with the quote");
    await setField(B, "terms-unit-price", "3600");
    await fillDate(B, "terms-delivery-date", date2);
    await waitPreviewTotal(B, "¥1,087,500.00");
    await submitOffer(B);
    await waitThreadStatus(B, "COUNTERED");
    await waitCurrentVersion(B, 3);
  });

  await step("S sees the counter live; the diff shows price and delivery date", async () => {
    await waitThreadStatus(S, "COUNTERED");
    await waitCurrentVersion(S, 3);
    await assertNotReloaded(S);
    await eventually(async () => {
      const d = await diffRows(S);
      return d.unit_price && d.delivery_date ? d : null;
    }, { message: "diff rows for unit_price and delivery_date" });
    const d = await diffRows(S);
    assert.match(d.unit_price[0], /3,?650/);
    assert.match(d.unit_price[1], /3,?600/);
    assert.match(d.delivery_date[0], new RegExp(date1));
    assert.match(d.delivery_date[1], new RegExp(date2));
    assert.equal(await S.locator(tid("action-accept-counter")).count(), 1, "接受还价 offered");
    await shot(S, "43-seller-counter-diff");
  });

  await step("B sends a message with an image; S sees it live; B sees 已读", async () => {
    await B.fill(tid("chat-input"), "质保书要求见图片，请确认");
    await B.locator(`${tid("chat")} input[type=file]`).setInputFiles({ name: "质保书.png", mimeType: "image/png", buffer: makePng(200, 120) });
    await B.locator(tid("chat-pending-file")).waitFor({ timeout: 20_000 });
    await B.click(tid("chat-send"));
    await eventually(async () => (await chatMessages(B)).some((m) => m.mine && m.text === "质保书要求见图片，请确认" && m.contentType === "image/png"), {
      message: "the buyer's message in the buyer's chat",
    });
    await eventually(async () => (await chatMessages(S)).some((m) => !m.mine && m.text === "质保书要求见图片，请确认" && m.contentType === "image/png"), {
      timeout: 15_000,
      message: "the buyer's message in the seller's chat",
    });
    await eventually(
      () => S.locator(`${tid("chat-messages")} img${tid("chat-image")}, ${tid("chat-messages")} ${tid("chat-image")} img`).evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0)),
      { message: "the image shows inline for the seller" },
    );
    await assertNotReloaded(S);
    // The seller's page is open and visible: it marks the thread read, the buyer gets the receipt live.
    await eventually(async () => (await chatMessages(B)).filter((m) => m.mine).every((m) => m.read), { timeout: 15_000, message: "已读 on the buyer's messages" });
    assert.match(await B.locator(`${tid("chat-receipt")}[data-read="1"]`).last().innerText(), /已读/);
  });

  await step("markup typed into the chat is shown as text on both sides", async () => {
    await B.fill(tid("chat-input"), XSS);
    await B.click(tid("chat-send"));
    await eventually(async () => (await chatMessages(S)).some((m) => m.text === XSS), { timeout: 15_000, message: "the markup text at the seller" });
    for (const page of [B, S]) {
      const texts = await page.locator(`${tid("chat-messages")} ${tid("chat-text")}`).allInnerTexts();
      assert.ok(texts.includes(XSS), "shown literally");
      assert.equal(await page.locator(`${tid("chat-messages")} img[src="x"]`).count(), 0, "no element was created from it");
    }
    await S.waitForTimeout(300);
    assert.deepEqual(dialogs, [], "no script ran");
    await shot(S, "44-seller-chat");
  });

  await step("S answers with 接受还价 at ¥3,620/t; B sees the revised quote live", async () => {
    await markPage(B);
    await S.click(tid("action-accept-counter"));
    await S.locator(tid("terms-unit-price")).waitFor();
    assert.equal(await S.locator(tid("terms-unit-price")).inputValue(), "3600.00", "prefilled with the counter");
    assert.equal(await S.locator(`input${tid("terms-delivery-date")}, ${tid("terms-delivery-date")} input`).first().inputValue(), date2);
    await setField(S, "terms-unit-price", "3620");
    await waitPreviewTotal(S, "¥1,093,500.00");
    await submitOffer(S);
    await waitThreadStatus(S, "QUOTED");
    await waitCurrentVersion(S, 4);
    await waitThreadStatus(B, "QUOTED");
    await waitCurrentVersion(B, 4);
    assert.match(await B.locator(tid("term-unit-price")).innerText(), /¥3,620\.00/);
    assert.equal((await B.locator(tid("current-totals-total")).innerText()).trim(), "¥1,093,500.00");
    await assertNotReloaded(B);
  });

  await step("B accepts; S sees 已成交 live with the agreed version", async () => {
    await markPage(S);
    await acceptQuote(B);
    await waitThreadStatus(B, "ACCEPTED");
    await B.locator(tid("status-alert")).waitFor();
    await waitThreadStatus(S, "ACCEPTED");
    await S.locator(`${tid("current-offer")} ${tid("offer-agreed")}`).waitFor();
    assert.equal(await S.locator(tid("action-quote")).count(), 0, "nothing left to do for the seller");
    assert.equal(await B.locator(tid("action-counter")).count(), 0, "nothing left to do for the buyer");
    await assertNotReloaded(S);
    await shot(B, "45-buyer-accepted");
    await shot(S, "46-seller-accepted");
  });

  shared.S = S;
  shared.B = B;
  shared.listingId = listingId;
  shared.sellerName = sellerName;

  await step("the lists and the 消息中心 show the outcome; a notification leads to its thread", async () => {
    await B.click(tid("nav-inquiries"));
    const row = B.locator(`${tid("thread-row")}[data-thread-id="${threadId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-status"), "ACCEPTED");
    assert.equal((await row.locator(tid("thread-row-total")).innerText()).trim(), "¥1,093,500.00");
    await S.click(tid("nav-inbox"));
    const item = S.locator(`${tid("inbox-item")}[data-kind="QUOTE_ACCEPTED"][data-subject="${threadId}"]`);
    await item.waitFor();
    await S.locator(`${tid("inbox-item")}[data-kind="NEW_INQUIRY"][data-subject="${threadId}"]`).waitFor();
    await shot(S, "47-inbox");
    await item.locator(tid("inbox-item-title")).click();
    await S.waitForURL(new RegExp(`/negotiations/${threadId}$`));
    await waitThreadStatus(S, "ACCEPTED");
  });
});

test("an RFQ to two sellers: quotes side by side, the lowest total highlighted, awarded live", async (t) => {
  assert.ok(shared.S && shared.B && shared.listingId, "the first test set up a seller, a buyer and a listing");
  const step = stepper(t);
  const S = shared.S;
  const B = shared.B;
  const seller2Name = `江苏永钢集团销售有限公司${run}`;
  let S2;
  let listing2 = "";
  let rfqId = "";
  const threads = {};

  await step("a second seller lists rebar too", async () => {
    const seller2 = await launch();
    S2 = seller2.page;
    await registerViaUi(S2, { kind: "email", address: uniqueEmail("neg-seller2"), password: "Quote#2026sell2", displayName: `销售赵-${run}` });
    const enterpriseId = await createSellerEnterprise(S2, seller2Name);
    await approveAsOperator(seller2Name);
    listing2 = await createListing(S2, enterpriseId, {
      category: ["金属矿产", "钢材", "螺纹钢"],
      name: `螺纹钢 HRB400E Φ25 9米 永钢 ${TAG}`,
      enums: { grade: "HRB400E", length: "9米", mill: "永钢" },
      numbers: { diameter: "25" },
      origin: "江苏张家港",
      unitPrice: "3700",
      moq: "20",
      stock: "600",
      weight: "1",
      city: "杭州",
      address: "浙江省杭州市拱墅区石祥路 99 号",
    });
  });

  await step("B adds both listings to the 询价单 from the search results and sends one RFQ", async () => {
    await B.goto(`${BASE_URL}/catalog?q=${TAG}`);
    await waitForTotal(B, 2, { reload: true });
    for (const id of [shared.listingId, listing2]) {
      await row(B, id).locator(tid("row-add-rfq")).click();
      await row(B, id).locator(`${tid("row-add-rfq")}[disabled]`).waitFor();
    }
    await B.locator(tid("rfq-cart-open")).filter({ hasText: "2" }).click();
    await B.waitForURL(/\/rfqs\/new$/);
    await eventually(async () => (await B.locator(tid("rfq-cart-row")).count()) === 2, { message: "two listings in the cart" });
    await B.fill(tid("rfq-title"), `12月螺纹钢比价 ${TAG}`);
    await setField(B, "terms-quantity", "200");
    await fillDate(B, "terms-delivery-date", dayFromToday(30));
    await B.fill(tid("terms-delivery-place"), "上海市浦东新区 张江工地");
    await pickOption(B, "terms-transport", "铁运");
    await pickOption(B, "terms-balance-timing", "款到发货");
    await B.click(tid("rfq-submit"));
    await B.waitForURL(/\/rfqs\/rfq_[^/?#]+$/, { timeout: 20_000 });
    rfqId = /\/rfqs\/([^/?#]+)$/.exec(B.url())[1];
    await eventually(async () => (await B.locator(tid("rfq-row")).count()) === 2, { message: "one row per seller" });
    const rows = await B.locator(tid("rfq-row")).evaluateAll((trs) => trs.map((tr) => [tr.dataset.threadId, tr.dataset.status, tr.innerText]));
    for (const [threadId, status, text] of rows) {
      assert.equal(status, "AWAITING_QUOTE");
      threads[text.includes(seller2Name) ? "S2" : "S"] = threadId;
    }
    assert.ok(threads.S && threads.S2, "a thread per seller");
    await markPage(B);
  });

  await step("each seller quotes from 询盘管理; the comparison follows live and highlights the lowest total", async () => {
    for (const [page, key, price] of [
      [S, "S", "3650"],
      [S2, "S2", "3600"],
    ]) {
      await page.goto(`${BASE_URL}/seller/inquiries`);
      const r = page.locator(`${tid("thread-row")}[data-thread-id="${threads[key]}"]`);
      await r.locator(tid("thread-row-rfq")).waitFor();
      await r.locator(tid("thread-row-product")).click();
      await waitThreadStatus(page, "AWAITING_QUOTE");
      await page.click(tid("action-quote"));
      await page.locator(tid("terms-unit-price")).waitFor();
      await setField(page, "terms-unit-price", price);
      await waitPreviewTotal(page, price === "3650" ? "¥730,000.00" : "¥720,000.00");
      await submitOffer(page);
      await waitThreadStatus(page, "QUOTED");
    }
    const lowest = B.locator(`${tid("rfq-row")}[data-thread-id="${threads.S2}"][data-lowest="1"]`);
    await lowest.waitFor({ timeout: 15_000 });
    await B.locator(`${tid("rfq-row")}[data-thread-id="${threads.S}"][data-status="QUOTED"]`).waitFor();
    assert.equal((await lowest.locator(tid("rfq-row-total")).innerText()).trim(), "¥720,000.00");
    assert.equal((await B.locator(`${tid("rfq-row")}[data-thread-id="${threads.S}"] ${tid("rfq-row-total")}`).innerText()).trim(), "¥730,000.00");
    assert.equal(await B.locator(`${tid("rfq-row")}[data-lowest="1"]`).count(), 1);
    await assertNotReloaded(B);
    await shot(B, "48-rfq-compare");
  });

  await step("B awards the lowest; its seller sees 已成交 and the other seller's thread closes, live", async () => {
    await markPage(S);
    await markPage(S2);
    await B.locator(`${tid("rfq-row")}[data-thread-id="${threads.S2}"] ${tid("rfq-award")}`).click();
    await clickWhenSettled(B, tid("rfq-award-confirm"));
    await B.locator(tid("rfq-awarded")).waitFor();
    await B.locator(`${tid("rfq-row")}[data-thread-id="${threads.S2}"][data-status="ACCEPTED"]`).waitFor();
    await B.locator(`${tid("rfq-row")}[data-thread-id="${threads.S}"][data-status="CLOSED"]`).waitFor();
    await waitThreadStatus(S2, "ACCEPTED");
    await waitThreadStatus(S, "CLOSED");
    await S.locator(tid("status-alert")).waitFor();
    assert.equal(await S.locator(tid("action-quote")).count(), 0);
    await assertNotReloaded(S);
    await assertNotReloaded(S2);
  });
});
