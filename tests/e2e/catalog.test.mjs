// Catalog (商品查找) browser scenarios: a seller lists rebar through the schema-generated form (unit price with volume
// tiers, 到货价 with the place it delivers to, base price + extras with a discount tier, the seller's own code), a buyer
// finds it with category menus, facets, price range and keyword and sees its image, history and English key specs, both
// watch prices, stock and delisting change live, and an operator adds a category that sellers and buyers get at once.
// The four tests share one seller and its listings and run in order.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, OPERATOR_EMAIL, OPERATOR_PASSWORD, closeAll, launch, shot, stepper, uniqueEmail, uniquePhone } from "./lib.mjs";
import { clickWhenSettled, loginWithPassword, registerViaUi, tid } from "./flows.mjs";
import {
  approveAsOperator,
  createListing,
  createSellerEnterprise,
  eventually,
  facetChecked,
  facetCount,
  fieldError,
  fillListingForm,
  historyRows,
  imagesLoaded,
  pickCascader,
  pickOption,
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
// The seller's own code on the first listing (shown to the seller's members only).
const SKU = `ERP-${run}`;
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
      sku: SKU,
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
    // The seller's own code is shown to its members; the history starts with the listing's creation.
    assert.equal((await page.locator(tid("detail-sku")).innerText()).trim(), SKU);
    assert.match(await page.locator(tid("detail-delivery")).innerText(), /^出厂价$/);
    await eventually(async () => (await historyRows(page)).length === 1, { message: "one history row" });
    const [[kind, text]] = await historyRows(page);
    assert.equal(kind, "CREATED");
    assert.match(text, /发布[\s\S]*¥3,650\.00[\s\S]*500\.000/);
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
    // 价格与库存记录, newest first: the stock set after the price change after the creation.
    await eventually(async () => (await historyRows(page)).length === 3, { message: "three history rows" });
    const rows = await historyRows(page);
    assert.deepEqual(
      rows.map(([k]) => k),
      ["STOCK_SET", "PRICE_CHANGED", "CREATED"],
    );
    assert.match(rows[0][1], /库存调整[\s\S]*¥3,680\.00[\s\S]*480\.000/);
    assert.match(rows[1][1], /调价[\s\S]*¥3,680\.00[\s\S]*500\.000/);
    assert.match(rows[2][1], /发布[\s\S]*¥3,650\.00/);
    await page.locator(tid("price-sparkline")).waitFor();
    assert.equal((await page.locator(tid("detail-sku")).innerText()).trim(), SKU, "the edit kept the seller's code");
    await shot(page, "21b-listing-history");
  });

  await step("S lists two more: HRB500E in 杭州 and a base-price listing with a size extra in 南京", async () => {
    shared.l2 = await createListing(page, shared.enterpriseId, {
      category: REBAR,
      name: `螺纹钢 HRB500E Φ20 9米 永钢 ${TAG}`,
      enums: { grade: "HRB500E", length: "9米", mill: "永钢" },
      numbers: { diameter: "20" },
      origin: "江苏张家港",
      deliveredTo: "上海市宝山区",
      unitPrice: "3900",
      moq: "5",
      stock: "200",
      weight: "2",
      city: "杭州",
      address: "浙江省杭州市拱墅区石祥路 99 号",
    });
    assert.equal((await page.locator(tid("detail-delivery")).innerText()).trim(), "到货价（送到 上海市宝山区）");
    assert.equal(await page.locator(tid("detail-sku")).count(), 0, "no code given, none shown");
    shared.l3 = await createListing(page, shared.enterpriseId, {
      category: REBAR,
      name: `螺纹钢 HRB400E Φ16 12米 中天 ${TAG}`,
      enums: { grade: "HRB400E", length: "12米", mill: "中天" },
      numbers: { diameter: "16" },
      origin: "江苏常州",
      basePrice: "3500",
      extras: [{ attr: "规格", value: "16", amount: "80" }],
      // With base price + extras a volume tier is a discount per tonne off the computed price.
      tiers: [["50", "30"]],
      moq: "20",
      stock: "300",
      weight: "1",
      city: "南京",
      address: "江苏省南京市栖霞区龙潭港区 3 号库",
    });
    await page.locator(tid("breakdown-total")).filter({ hasText: "¥3,580.00" }).waitFor();
    const tiers = await page.locator(`${tid("tier-table")} ${tid("tier-row")}`).allInnerTexts();
    assert.equal(tiers.length, 2, "the minimum order row and the discount tier");
    assert.match(tiers[0], /20\.000[\s\S]*¥3,580\.00/);
    assert.match(tiers[1], /50\.000[\s\S]*¥3,550\.00[\s\S]*每吨优惠 ¥30\.00/);
    assert.match(await page.locator(tid("detail-price")).innerText(), /¥3,550\.00 – ¥3,580\.00/);
    await shot(page, "21c-listing-discount-tier");
    // Editing keeps the discount tier (the form edits the discount, not the derived price).
    await page.click(tid("listing-edit"));
    await eventually(async () => (await page.locator(tid("tier-discount-0")).inputValue()) !== "", { message: "discount tier filled" });
    assert.equal(await page.locator(tid("tier-discount-0")).inputValue(), "30.00");
    assert.equal(await page.locator(tid("tier-price-0")).count(), 0);
    await page.goto(`${BASE_URL}/seller/listings?enterprise=${shared.enterpriseId}`);
    await eventually(async () => (await page.locator(tid("seller-row")).count()) === 3, { message: "3 rows in 我的商品" });
    assert.equal((await page.locator(`${tid("seller-row")}[data-listing-id="${shared.l1}"] ${tid("seller-row-sku")}`).innerText()).trim(), SKU);
    assert.equal(await page.locator(`${tid("seller-row")}[data-listing-id="${shared.l2}"] ${tid("seller-row-sku")}`).count(), 0);
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
    // The seller's image is published to buyers: it downloads and decodes (not the placeholder).
    await eventually(() => imagesLoaded(page), { message: "the listing image loaded for the buyer" });
    assert.equal(await page.locator(".file-image-placeholder").count(), 0);
    assert.equal(await page.locator(tid("detail-sku")).count(), 0, "the seller's code is not shown to buyers");
    assert.ok((await historyRows(page)).length >= 3, "buyers see the price and stock history");
    await shot(page, "24-listing-detail");
    await page.goBack();
    await waitForTotal(page, 3);
    await row(page, shared.l3).locator(tid("row-name")).click();
    const breakdown = page.locator(tid("breakdown-table"));
    await breakdown.filter({ hasText: "基价" }).waitFor();
    assert.match(await breakdown.innerText(), /基价[\s\S]*¥3,500\.00[\s\S]*规格[\s\S]*¥80\.00/);
    assert.equal((await page.locator(tid("breakdown-total")).innerText()).trim(), "¥3,580.00");
  });

  await step("in English the detail page shows English key specs and price lines (accept-language)", async () => {
    const keySpecs = page.locator(`${tid("listing-key-specs")}`);
    await keySpecs.filter({ hasText: "12米" }).waitFor();
    await page.locator(tid("lang-switch")).getByText("EN", { exact: true }).click();
    await keySpecs.filter({ hasText: "12 m" }).waitFor();
    assert.doesNotMatch(await keySpecs.innerText(), /12米/);
    assert.doesNotMatch(await page.locator(tid("breakdown-table")).innerText(), /基价/);
    await page.locator(tid("lang-switch")).getByText("中文", { exact: true }).click();
    await keySpecs.filter({ hasText: "12米" }).waitFor();
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

test("an operator adds a leaf category under 钢材 with an enum attribute; sellers and buyers get it at once", async (t) => {
  assert.ok(shared.seller && shared.enterpriseId, "the seller test set up a seller");
  const step = stepper(t);
  // Unique per run: the data folder may be reused.
  const suffix = run.toLowerCase().replace(/[^a-z0-9]/g, "");
  const id = `steel.rail_${suffix}`;
  const nameZh = `钢轨${run.slice(-6)}`;
  let op;
  let page;

  await step("the operator opens 类目管理 and starts a sub-category of 钢材", async () => {
    op = await launch();
    page = op.page;
    await loginWithPassword(page, OPERATOR_EMAIL, OPERATOR_PASSWORD);
    await page.click(tid("nav-categories"));
    await page.locator(tid("catm-node-steel")).click();
    await page.locator(`${tid("catm-editor")}[data-mode="edit"]`).waitFor();
    // 钢材's own 钢厂 list is editable there; its children inherit it.
    await eventually(async () => (await page.locator(tid("catm-attr-key-0")).inputValue()) === "mill", { message: "钢材's own attribute" });
    await page.click(tid("catm-add-child"));
    await page.locator(`${tid("catm-editor")}[data-mode="new"]`).waitFor();
    assert.match(await page.locator(tid("catm-parent")).innerText(), /钢材/);
    await page.locator(`${tid("catm-inherited")} ${tid("catm-inherited-row")}[data-key="mill"]`).waitFor();
  });

  await step("an id that exists is refused in the browser; a duplicate option code comes back on that option", async () => {
    await page.fill(tid("catm-id"), "steel.rebar");
    await page.fill(tid("catm-name-zh"), nameZh);
    await page.fill(tid("catm-name-en"), `Rail ${run}`);
    await page.click(tid("catm-save"));
    await fieldError(page, "catm-id").filter({ hasText: "已被" }).waitFor();
    await page.fill(tid("catm-id"), id);
    await page.click(tid("catm-attr-add"));
    await page.fill(tid("catm-attr-key-0"), "rail_type");
    await page.fill(tid("catm-attr-label-zh-0"), "轨型");
    await page.fill(tid("catm-attr-label-en-0"), "Rail type");
    await page.fill(tid("catm-opt-value-0-0"), "p50");
    await page.fill(tid("catm-opt-zh-0-0"), "50轨");
    await page.fill(tid("catm-opt-en-0-0"), "50 kg rail");
    await page.click(tid("catm-opt-add-0"));
    await page.fill(tid("catm-opt-value-0-1"), "P50");
    await page.fill(tid("catm-opt-zh-0-1"), "60轨");
    await page.fill(tid("catm-opt-en-0-1"), "60 kg rail");
    await page.locator(tid("catm-attr-required-0")).check();
    await page.locator(tid("catm-attr-filterable-0")).check();
    await page.locator(tid("catm-attr-list-0")).check();
    await page.click(tid("catm-save"));
    // The server names category.attributes[0].options[1]: the error shows under that option's code.
    await fieldError(page, "catm-opt-value-0-1").first().waitFor();
    await page.locator(tid("form-error")).waitFor();
    assert.equal(await page.locator(tid(`catm-node-${id}`)).count(), 0, "nothing was saved");
    await shot(page, "26-category-errors");
  });

  await step("with the code fixed the category is saved and listed with its inherited and own attributes", async () => {
    await page.fill(tid("catm-opt-value-0-1"), "p60");
    await page.click(tid("catm-save"));
    await page.waitForURL(new RegExp(`[?&]id=${id.replace(/\./g, "\\.")}$`));
    await page.locator(`${tid("catm-editor")}[data-mode="edit"]`).waitFor();
    await page.locator(tid(`catm-node-${id}`)).waitFor();
    assert.match(await page.locator(tid("catm-editor-title")).innerText(), new RegExp(nameZh));
    await page.locator(`${tid("catm-inherited")} ${tid("catm-inherited-row")}[data-key="mill"]`).waitFor();
    assert.equal(await page.locator(tid("catm-attr-key-0")).inputValue(), "rail_type");
    assert.equal(await page.locator(tid("catm-opt-value-0-1")).inputValue(), "p60");
    assert.ok(await page.locator(tid("catm-id")).isDisabled(), "the id is fixed once saved");
    await shot(page, "27-category-saved");
  });

  await step("a sub-category under a leaf that holds listings is refused with a clear message", async () => {
    await page.locator(tid("catm-node-steel.rebar")).click();
    // The editor was already in edit mode (the category saved above): wait until it shows 螺纹钢, or the
    // child below would be added to the previous category.
    await page.waitForURL(/[?&]id=steel\.rebar$/);
    await page.locator(`${tid("catm-editor")}[data-mode="edit"]`).waitFor();
    await page.locator(tid("catm-editor-title")).filter({ hasText: "螺纹钢" }).waitFor();
    await page.click(tid("catm-add-child"));
    await page.locator(`${tid("catm-editor")}[data-mode="new"]`).waitFor();
    await page.fill(tid("catm-id"), `steel.rebar.sub_${suffix}`);
    await page.fill(tid("catm-name-zh"), "细分");
    await page.fill(tid("catm-name-en"), "Sub");
    await page.click(tid("catm-save"));
    await page.locator(tid("catm-has-listings")).filter({ hasText: "螺纹钢" }).waitFor();
    assert.match(await page.locator(tid("catm-has-listings")).innerText(), /已有商品/);
  });

  await step("the new category is in the catalog's category menu with its filter", async () => {
    await page.goto(`${BASE_URL}/catalog`);
    await page.click(tid("category-menu"));
    await clickWhenSettled(page, tid("cat-root-metals"));
    await clickWhenSettled(page, tid(`cat-link-${id}`));
    await page.locator(tid(`crumb-${id}`)).waitFor();
    await page.locator(tid("filter-rail_type")).filter({ hasText: "60轨" }).waitFor();
    await page.locator(tid("filter-mill")).waitFor();
    await waitForTotal(page, 0);
  });

  await step("the seller's listing form offers it in the cascader with the new attribute", async () => {
    const seller = shared.seller.page;
    await seller.goto(`${BASE_URL}/seller/listings/new?enterprise=${shared.enterpriseId}`);
    await pickCascader(seller, "listing-category", ["金属矿产", "钢材", nameZh]);
    await seller.locator(tid("field-rail_type")).waitFor();
    await seller.locator(tid("field-mill")).waitFor();
    await pickOption(seller, "attr-rail_type", "60轨");
    await shot(seller, "28-listing-form-new-category");
    await op.context.close();
  });
});
