// Catalog (商品查找) browser scenarios: a seller lists rebar through the schema-generated form, a buyer finds it with
// category menus, facets, price range and keyword, and both watch prices, stock and delisting change live.
// The three tests share one seller and its listings and run in order.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, OPERATOR_EMAIL, OPERATOR_PASSWORD, closeAll, launch, shot, stepper, uniqueEmail, uniquePhone } from "./lib.mjs";
import { clickWhenSettled, registerViaUi, tid } from "./flows.mjs";
import {
  approveAsOperator,
  createListing,
  createSellerEnterprise,
  eventually,
  facetChecked,
  facetCount,
  fillListingForm,
  resultTotal,
  row,
  submitListingForm,
  waitForTotal,
} from "./catalog-flows.mjs";

after(closeAll);

const run = Date.now().toString(36).toUpperCase();
// A word only this run's listings carry, so searches count exactly them.
const TAG = `BT${run}`;
const REBAR = ["金属矿产", "钢材", "螺纹钢"];
const shared = { seller: null, buyer: null, enterpriseId: "", legalName: "", l1: "", l2: "", l3: "" };

test("a seller lists rebar through the generated form, edits it and finds it in the catalog with facet counts", async (t) => {
  assert.ok(OPERATOR_EMAIL && OPERATOR_PASSWORD, "B2BTRADE_E2E_OPERATOR_EMAIL / _PASSWORD must be set");
  const step = stepper(t);
  shared.legalName = `江苏沙洲钢铁贸易有限公司${run}`;
  let page;

  await step("S registers, creates a seller enterprise and submits it for verification", async () => {
    shared.seller = await launch();
    page = shared.seller.page;
    await registerViaUi(page, { kind: "email", address: uniqueEmail("seller-s"), password: "Rebar#2026sell", displayName: `销售S-${run}` });
    shared.enterpriseId = await createSellerEnterprise(page, shared.legalName);
  });

  await step("before verification 我的商品 explains why listing is not possible yet", async () => {
    await page.click(tid("nav-my-listings"));
    await page.locator(tid("seller-access")).filter({ hasText: "认证" }).waitFor();
    assert.ok(await page.locator(tid("listing-create")).isDisabled(), "发布商品 is disabled for an unverified seller");
  });

  await step("the operator approves; 发布商品 becomes available", async () => {
    await approveAsOperator(shared.legalName);
    await page.goto(`${BASE_URL}/seller/listings?enterprise=${shared.enterpriseId}`);
    await page.locator(`${tid("listing-create")}:not([disabled])`).waitFor();
    assert.equal(await page.locator(tid("seller-access")).count(), 0);
  });

  await step("S fills the rebar form generated from the schema; client and server errors show on the fields", async () => {
    await page.click(tid("listing-create"));
    await fillListingForm(page, {
      category: REBAR,
      name: `螺纹钢 HRB400E Φ25 12米 沙钢 ${TAG}`,
      enums: { grade: "HRB400E", length: "12米", mill: "沙钢" },
      numbers: { diameter: "40" },
      origin: "江苏张家港",
      unitPrice: "3650",
      // 5 t is below the minimum order: the server refuses the tier.
      tiers: [
        ["5", "3620"],
        ["100", "3600"],
      ],
      moq: "10",
      stock: "500",
      weight: "1",
      city: "上海",
      address: "上海市宝山区蕰川路 1688 号 沙钢物流园",
      image: true,
    });
    // 规格 is a NUMBER attribute with bounds Φ12–Φ32 mm: checked in the browser.
    await page.click(tid("listing-submit"));
    await page.locator(`${tid("field-diameter")} .ant-form-item-explain-error`).filter({ hasText: "12" }).waitFor();
    await page.fill(tid("attr-diameter"), "25");
    await page.click(tid("listing-submit"));
    // The tier below the minimum order comes back as a field violation next to that tier's quantity.
    const tierError = page.locator(tid("tier-form-row")).first().locator(".ant-form-item-explain-error");
    await tierError.first().waitFor();
    assert.match(await tierError.first().innerText(), /起订|阶梯/);
    await page.locator(tid("form-error")).waitFor();
    await shot(page, "20-listing-form-errors");
    await page.fill(tid("tier-min-0"), "50");
    shared.l1 = await submitListingForm(page);
  });

  await step("the listing page shows specs, tiers and the price", async () => {
    assert.match(await page.locator(tid("listing-name")).innerText(), new RegExp(TAG));
    assert.equal((await page.locator(tid("spec-grade")).innerText()).trim(), "HRB400E");
    assert.equal((await page.locator(tid("spec-diameter")).innerText()).trim(), "25 mm");
    assert.equal(await page.locator(`${tid("tier-table")} ${tid("tier-row")}`).count(), 3, "MOQ row and two tiers");
    assert.match(await page.locator(tid("detail-price")).innerText(), /¥3,600\.00 – ¥3,650\.00/);
    await page.locator(tid("listing-image")).first().waitFor();
    await shot(page, "21-listing-detail-seller");
  });

  await step("S edits price and stock from 我的商品", async () => {
    await page.goto(`${BASE_URL}/seller/listings?enterprise=${shared.enterpriseId}`);
    const r = page.locator(`${tid("seller-row")}[data-listing-id="${shared.l1}"]`);
    await r.locator(tid("seller-edit")).click();
    await eventually(async () => (await page.locator(tid("listing-unit-price")).inputValue()) !== "", { message: "form filled" });
    assert.equal(await page.locator(tid("listing-unit-price")).inputValue(), "3650.00");
    await page.fill(tid("listing-unit-price"), "3680");
    await page.fill(tid("listing-stock"), "480");
    await page.click(tid("listing-submit"));
    await page.waitForURL(new RegExp(`/catalog/listings/${shared.l1}$`));
    await page.locator(tid("detail-price")).filter({ hasText: "¥3,680.00" }).waitFor();
    await page.locator(tid("detail-stock")).filter({ hasText: "480.000" }).waitFor();
  });

  await step("S lists two more: HRB500E in 杭州 and a base-price listing with a size extra in 南京", async () => {
    shared.l2 = await createListing(page, shared.enterpriseId, {
      category: REBAR,
      name: `螺纹钢 HRB500E Φ20 9米 永钢 ${TAG}`,
      enums: { grade: "HRB500E", length: "9米", mill: "永钢" },
      numbers: { diameter: "20" },
      origin: "江苏张家港",
      unitPrice: "3900",
      moq: "5",
      stock: "200",
      weight: "2",
      city: "杭州",
      address: "浙江省杭州市拱墅区石祥路 99 号",
    });
    shared.l3 = await createListing(page, shared.enterpriseId, {
      category: REBAR,
      name: `螺纹钢 HRB400E Φ16 12米 中天 ${TAG}`,
      enums: { grade: "HRB400E", length: "12米", mill: "中天" },
      numbers: { diameter: "16" },
      origin: "江苏常州",
      basePrice: "3500",
      extras: [{ attr: "规格", value: "16", amount: "80" }],
      moq: "20",
      stock: "300",
      weight: "1",
      city: "南京",
      address: "江苏省南京市栖霞区龙潭港区 3 号库",
    });
    await page.locator(tid("breakdown-total")).filter({ hasText: "¥3,580.00" }).waitFor();
    await page.goto(`${BASE_URL}/seller/listings?enterprise=${shared.enterpriseId}`);
    await eventually(async () => (await page.locator(tid("seller-row")).count()) === 3, { message: "3 rows in 我的商品" });
    await shot(page, "22-my-listings");
  });

  await step("the catalog finds them; 材质 HRB400E counts both HRB400E listings and filters to them", async () => {
    await page.goto(`${BASE_URL}/catalog?cat=steel.rebar&q=${TAG}`);
    // The search index trails writes by up to a second.
    await waitForTotal(page, 3, { reload: true });
    assert.equal(await facetCount(page, "grade", "HRB400E"), 2);
    assert.equal(await facetCount(page, "grade", "HRB500E"), 1);
    await page.locator(tid("facet-grade-HRB400E")).click();
    await waitForTotal(page, 2);
    assert.deepEqual((await page.locator(tid("listing-row")).evaluateAll((rows) => rows.map((r) => r.dataset.listingId))).sort(), [shared.l1, shared.l3].sort());
    // Counts of the selected attribute stay those under the other filters (so HRB500E can be added).
    assert.equal(await facetCount(page, "grade", "HRB400E"), 2);
    assert.equal(await facetCount(page, "grade", "HRB500E"), 1);
    assert.match(page.url(), /a\.grade=HRB400E/);
  });
});

test("a buyer browses with the category menu, filters without a search button and opens the detail", async (t) => {
  assert.ok(shared.l1 && shared.l2 && shared.l3, "the seller test created the listings");
  const step = stepper(t);
  let page;

  await step("B registers and opens 商品查找 › 金属矿产 › 螺纹钢 from the category menu", async () => {
    shared.buyer = await launch();
    page = shared.buyer.page;
    await registerViaUi(page, { kind: "phone", address: uniquePhone(), password: "Buy#Steel2026", displayName: `采购B-${run}`, accountKind: "individual" });
    await page.click(tid("nav-catalog"));
    await page.locator(tid("category-menu")).waitFor();
    await page.click(tid("category-menu"));
    await clickWhenSettled(page, tid("cat-root-metals"));
    await clickWhenSettled(page, tid("cat-link-steel.rebar"));
    await page.locator(tid("crumb-steel.rebar")).waitFor();
    assert.match(page.url(), /cat=steel\.rebar/);
    await page.locator(tid("filter-grade")).waitFor();
    await page.locator(tid("filter-diameter")).waitFor();
  });

  await step("typing the keyword narrows the results and updates the counts", async () => {
    await page.fill(tid("catalog-keyword"), TAG);
    await waitForTotal(page, 3);
    assert.equal(await facetCount(page, "grade", "HRB400E"), 2);
    assert.equal(await facetCount(page, "city", "杭州"), 1);
    assert.equal(await facetCount(page, "mill", "shagang"), 1);
    await shot(page, "23-catalog-search");
  });

  await step("材质 multi-select, price range and 规格 range re-run the search at once", async () => {
    await page.locator(tid("facet-grade-HRB400E")).click();
    await waitForTotal(page, 2);
    await eventually(async () => (await facetCount(page, "city", "杭州")) === 0, { message: "杭州 no longer counted" });
    await page.locator(tid("facet-grade-HRB500E")).click();
    await waitForTotal(page, 3);
    await page.locator(tid("facet-grade-HRB500E")).click();
    await waitForTotal(page, 2);
    // L1 costs ¥3,600–3,680 (tiers), L3 ¥3,580: from ¥3,600 only L1 is left.
    await page.fill(tid("range-price-min"), "3600");
    await waitForTotal(page, 1);
    assert.equal(await row(page, shared.l1).count(), 1);
    assert.equal(await facetCount(page, "city", "上海"), 1);
    assert.equal(await facetCount(page, "city", "南京"), 0);
    await page.fill(tid("range-price-min"), "");
    await waitForTotal(page, 2);
    await page.fill(tid("range-diameter-max"), "20");
    await waitForTotal(page, 1);
    assert.equal(await row(page, shared.l3).count(), 1);
  });

  await step("the filters live in the URL: reload and back restore them", async () => {
    assert.match(page.url(), /a\.grade=HRB400E/);
    assert.match(page.url(), /n\.diameter=\.\.20/);
    await page.reload();
    await waitForTotal(page, 1);
    assert.ok(await facetChecked(page, "grade", "HRB400E"));
    assert.equal(await page.locator(tid("range-diameter-max")).inputValue(), "20");
    await page.locator(tid("facet-grade-HRB400E")).click();
    await waitForTotal(page, 2);
    await page.goBack();
    await waitForTotal(page, 1);
    assert.ok(await facetChecked(page, "grade", "HRB400E"));
  });

  await step("the row shows price range, stock, MOQ, seller and city; its detail shows tiers and breakdown", async () => {
    await page.goto(`${BASE_URL}/catalog?cat=steel.rebar&q=${TAG}&sort=price_asc`);
    await waitForTotal(page, 3);
    const ids = await page.locator(tid("listing-row")).evaluateAll((rows) => rows.map((r) => r.dataset.listingId));
    assert.deepEqual(ids, [shared.l3, shared.l1, shared.l2], "price ascending");
    const r1 = row(page, shared.l1);
    assert.match(await r1.locator(tid("row-price")).innerText(), /¥3,600\.00 – ¥3,680\.00/);
    assert.equal((await r1.locator(tid("row-stock")).innerText()).trim(), "480.000");
    assert.equal((await r1.locator(tid("row-seller")).innerText()).trim(), shared.legalName);
    assert.equal((await r1.locator(tid("row-city")).innerText()).trim(), "上海");
    await r1.locator(tid("row-name")).click();
    await page.waitForURL(new RegExp(`/catalog/listings/${shared.l1}$`));
    await page.locator(`${tid("tier-table")} ${tid("tier-row")}`).nth(2).waitFor();
    const tiers = await page.locator(`${tid("tier-table")} ${tid("tier-row")}`).allInnerTexts();
    assert.match(tiers[0], /10\.000[\s\S]*¥3,680\.00/);
    assert.match(tiers[1], /50\.000[\s\S]*¥3,620\.00/);
    assert.match(tiers[2], /100\.000[\s\S]*¥3,600\.00/);
    assert.match(await page.locator(tid("breakdown-table")).innerText(), /单价[\s\S]*¥3,680\.00/);
    assert.match(await page.locator(tid("detail-price-basis")).innerText(), /含税[\s\S]*出厂价/);
    assert.equal((await page.locator(tid("detail-weight-basis")).innerText()).trim(), "理计");
    assert.match(await page.locator(tid("detail-seller")).innerText(), new RegExp(shared.legalName));
    assert.match(await page.locator(tid("detail-warehouse")).innerText(), /上海[\s\S]*蕰川路/);
    await shot(page, "24-listing-detail");
    await page.goBack();
    await waitForTotal(page, 3);
    await row(page, shared.l3).locator(tid("row-name")).click();
    const breakdown = page.locator(tid("breakdown-table"));
    await breakdown.filter({ hasText: "基价" }).waitFor();
    assert.match(await breakdown.innerText(), /基价[\s\S]*¥3,500\.00[\s\S]*规格[\s\S]*¥80\.00/);
    assert.equal((await page.locator(tid("breakdown-total")).innerText()).trim(), "¥3,580.00");
  });
});

test("live: the buyer's list and detail follow the seller's stock, price and delisting without a reload", async (t) => {
  assert.ok(shared.seller && shared.buyer, "the earlier tests set up a seller and a buyer");
  const step = stepper(t);
  const buyer = shared.buyer.page;
  const seller = shared.seller.page;

  const sellerRow = (id) => seller.locator(`${tid("seller-row")}[data-listing-id="${id}"]`);

  await step("the buyer's result list is live", async () => {
    await buyer.goto(`${BASE_URL}/catalog?cat=steel.rebar&q=${TAG}`);
    await waitForTotal(buyer, 3);
    await buyer.locator(`${tid("live-badge")}[data-state="live"]`).waitFor({ timeout: 20_000 });
    await seller.goto(`${BASE_URL}/seller/listings?enterprise=${shared.enterpriseId}`);
    await sellerRow(shared.l1).waitFor();
  });

  await step("a quick stock edit shows in the buyer's row", async () => {
    await sellerRow(shared.l1).locator(tid("seller-stock-edit")).click();
    await seller.locator(tid("stock-input")).waitFor();
    await seller.fill(tid("stock-input"), "455.5");
    await seller.click(tid("stock-submit"));
    await sellerRow(shared.l1).locator(tid("seller-row-stock")).filter({ hasText: "455.500" }).waitFor();
    const cell = row(buyer, shared.l1).locator(tid("row-stock"));
    await cell.filter({ hasText: "455.500" }).waitFor({ timeout: 10_000 });
    assert.equal(await cell.getAttribute("data-flash"), "1", "the changed cell is highlighted");
    assert.equal(await resultTotal(buyer), 3, "no new search ran");
  });

  await step("a price edit shows in the buyer's row", async () => {
    await sellerRow(shared.l2).locator(tid("seller-edit")).click();
    await eventually(async () => (await seller.locator(tid("listing-unit-price")).inputValue()) !== "", { message: "form filled" });
    await seller.fill(tid("listing-unit-price"), "3950");
    await seller.click(tid("listing-submit"));
    await seller.waitForURL(new RegExp(`/catalog/listings/${shared.l2}$`));
    await row(buyer, shared.l2).locator(tid("row-price")).filter({ hasText: "¥3,950.00" }).waitFor({ timeout: 10_000 });
  });

  await step("下架 shows as 已下架 in the buyer's row", async () => {
    await seller.goto(`${BASE_URL}/seller/listings?enterprise=${shared.enterpriseId}`);
    await sellerRow(shared.l3).locator(tid("seller-delist")).click();
    await clickWhenSettled(seller, tid("seller-delist-confirm"));
    await sellerRow(shared.l3).locator(`${tid("listing-status")}[data-status="DELISTED"]`).waitFor();
    await buyer.locator(`${tid("listing-row")}[data-listing-id="${shared.l3}"][data-status="DELISTED"]`).waitFor({ timeout: 10_000 });
    assert.match(await row(buyer, shared.l3).innerText(), /已下架/);
    await shot(buyer, "25-catalog-live");
  });

  await step("the buyer's detail page follows the stock too, and 上架 brings the listing back", async () => {
    await row(buyer, shared.l1).locator(tid("row-name")).click();
    await buyer.locator(`${tid("live-badge")}[data-state="live"]`).waitFor({ timeout: 20_000 });
    await sellerRow(shared.l1).locator(tid("seller-stock-edit")).click();
    await seller.locator(tid("stock-input")).waitFor();
    await seller.fill(tid("stock-input"), "430");
    await seller.click(tid("stock-submit"));
    await buyer.locator(tid("detail-stock")).filter({ hasText: "430.000" }).waitFor({ timeout: 10_000 });
    await sellerRow(shared.l3).locator(tid("seller-relist")).click();
    await sellerRow(shared.l3).locator(`${tid("listing-status")}[data-status="ACTIVE"]`).waitFor();
    await buyer.goto(`${BASE_URL}/catalog?cat=steel.rebar&q=${TAG}`);
    await waitForTotal(buyer, 3, { reload: true });
  });
});
