// Page-level actions of the catalog scenarios: seller enterprise set-up, antd pickers, the listing form, search waits.
import assert from "node:assert/strict";
import { BASE_URL, OPERATOR_EMAIL, OPERATOR_PASSWORD, launch, makePng, randomCreditCode } from "./lib.mjs";
import { clickWhenSettled, fillEnterpriseForm, loginWithPassword, tid } from "./flows.mjs";

/** Waits until fn() returns a truthy value (polling), or fails with the last value seen. */
export async function eventually(fn, { timeout = 20_000, interval = 250, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`${message} not reached within ${timeout} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** Creates a seller enterprise on /enterprises/new and submits it for verification; returns its id. */
export async function createSellerEnterprise(page, legalName) {
  await page.goto(`${BASE_URL}/enterprises/new`);
  await fillEnterpriseForm(page, { legalName, creditCode: randomCreditCode() });
  await page.locator(tid("ent-is-seller")).check();
  await page.click(tid("enterprise-save"));
  await page.locator(tid("enterprise-submit-verification")).waitFor();
  const enterpriseId = /\/enterprises\/([^/?#]+)$/.exec(page.url())?.[1];
  assert.ok(enterpriseId, `enterprise id in ${page.url()}`);
  await page.click(tid("enterprise-submit-verification"));
  await page.locator(`${tid("verification-status")}[data-status="PENDING"]`).waitFor();
  return enterpriseId;
}

/** The operator approves the enterprise in the review queue (own browser, closed afterwards). */
export async function approveAsOperator(legalName) {
  const op = await launch();
  try {
    await loginWithPassword(op.page, OPERATOR_EMAIL, OPERATOR_PASSWORD);
    await op.page.click(tid("nav-review"));
    const row = op.page.locator(tid("review-row")).filter({ hasText: legalName });
    await row.locator(tid("review-open")).click();
    await op.page.click(tid("review-approve"));
    await clickWhenSettled(op.page, tid("review-approve-confirm"));
    await op.page.locator(`${tid("verification-status")}[data-status="VERIFIED"], ${tid("review-action-error")}`).first().waitFor({ timeout: 30_000 });
    assert.equal(await op.page.locator(tid("review-action-error")).count(), 0, "approval failed");
  } finally {
    await op.context.close();
  }
}

/** Opens the antd Select with data-testid `testId` and picks the option labelled `label`. */
export async function pickOption(page, testId, label) {
  await page.locator(tid(testId)).click();
  await clickWhenSettled(page, `.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${label}"]`);
  await page.locator(tid(testId)).filter({ hasText: label }).waitFor();
}

/** Picks a path (e.g. 金属矿产 › 钢材 › 螺纹钢) in the antd Cascader with data-testid `testId`. */
export async function pickCascader(page, testId, labels) {
  await page.locator(tid(testId)).click();
  for (const label of labels) {
    await clickWhenSettled(page, `.ant-cascader-dropdown:not(.ant-cascader-dropdown-hidden) .ant-cascader-menu-item[title="${label}"]`);
  }
  await page.locator(tid(testId)).filter({ hasText: labels[labels.length - 1] }).waitFor();
}

/**
 * Fills the listing form (the page must show it). listing: { category: [..labels], name, enums: {key: label},
 * numbers: {key: text}, origin, sku, deliveredTo (picks 到货价), city, address, weight ("1" 理计 / "2" 过磅),
 * unitPrice | basePrice + extras [{attr, value, amount}], tiers [[min, unit price]] (with basePrice: [[min, discount
 * per tonne]]), moq, stock, image (bool) }.
 */
export async function fillListingForm(page, listing) {
  if (listing.category) await pickCascader(page, "listing-category", listing.category);
  await page.fill(tid("listing-name-input"), listing.name);
  for (const [key, label] of Object.entries(listing.enums ?? {})) await pickOption(page, `attr-${key}`, label);
  for (const [key, text] of Object.entries(listing.numbers ?? {})) await page.fill(tid(`attr-${key}`), text);
  if (listing.origin) await page.fill(tid("listing-origin"), listing.origin);
  if (listing.sku) await page.fill(tid("listing-sku"), listing.sku);
  if (listing.deliveredTo) {
    await page.click(tid("delivery-delivered"));
    await page.fill(tid("listing-delivered-to"), listing.deliveredTo);
  }
  if (listing.basePrice) {
    await page.click(tid("price-mode-base"));
    await page.fill(tid("listing-base-price"), listing.basePrice);
    for (const [i, e] of (listing.extras ?? []).entries()) {
      await page.click(tid("extra-add"));
      await pickOption(page, `extra-attr-${i}`, e.attr);
      await page.fill(tid(`extra-value-${i}`), e.value);
      await page.fill(tid(`extra-amount-${i}`), e.amount);
    }
  } else if (listing.unitPrice) {
    await page.fill(tid("listing-unit-price"), listing.unitPrice);
  }
  for (const [i, [min, price]] of (listing.tiers ?? []).entries()) {
    await page.click(tid("tier-add"));
    await page.fill(tid(`tier-min-${i}`), min);
    // With base price + extras a tier takes a discount per tonne, with a unit price the tier's unit price.
    await page.fill(tid(listing.basePrice ? `tier-discount-${i}` : `tier-price-${i}`), price);
  }
  if (listing.moq) await page.fill(tid("listing-moq"), listing.moq);
  if (listing.stock) await page.fill(tid("listing-stock"), listing.stock);
  if (listing.weight) await page.click(tid(`weight-basis-${listing.weight}`));
  if (listing.city) await page.fill(tid("listing-city"), listing.city);
  if (listing.address) await page.fill(tid("listing-address"), listing.address);
  if (listing.image) {
    await page.locator(`${tid("listing-images")} input[type=file]`).setInputFiles({ name: "螺纹钢.png", mimeType: "image/png", buffer: makePng(160, 120) });
    await page.locator(`${tid("listing-images")} ${tid("listing-image")}`).first().waitFor({ timeout: 20_000 });
  }
}

/** Submits the listing form and waits for the listing page; returns the listing id. */
export async function submitListingForm(page) {
  await page.click(tid("listing-submit"));
  await page.waitForURL(/\/catalog\/listings\/lst_[^/?#]+$/, { timeout: 20_000 });
  await page.locator(tid("listing-name")).waitFor();
  return /\/catalog\/listings\/([^/?#]+)$/.exec(page.url())[1];
}

/** From 我的商品 of the enterprise: 发布商品 → fill → submit. Returns the new listing id. */
export async function createListing(page, enterpriseId, listing) {
  await page.goto(`${BASE_URL}/seller/listings?enterprise=${enterpriseId}`);
  await page.click(tid("listing-create"));
  await page.locator(tid("listing-category")).waitFor();
  await fillListingForm(page, listing);
  return submitListingForm(page);
}

/** The number of results the search page shows (data-total), or null while loading. */
export async function resultTotal(page) {
  const v = await page.locator(tid("result-total")).getAttribute("data-total");
  return v === null || v === "" ? null : Number(v);
}

/** The count shown next to a facet value, or 0 when the value is not offered. */
export async function facetCount(page, key, value) {
  const el = page.locator(tid(`facet-count-${key}-${value}`));
  if ((await el.count()) === 0) return 0;
  return Number((await el.innerText()).replace(/\D/g, ""));
}

/** Whether a facet value's checkbox is ticked. */
export async function facetChecked(page, key, value) {
  return page.locator(tid(`facet-${key}-${value}`)).evaluate((el) => (el instanceof HTMLInputElement ? el : el.querySelector("input"))?.checked === true);
}

/** Waits until the search page shows `n` results; reloads now and then, because the index trails writes. */
export async function waitForTotal(page, n, { reload = false, timeout = 30_000 } = {}) {
  let lastReload = Date.now();
  await eventually(
    async () => {
      if ((await resultTotal(page)) === n) return true;
      if (reload && Date.now() - lastReload > 2000) {
        lastReload = Date.now();
        await page.reload();
        await page.locator(tid("result-total")).waitFor();
      }
      return false;
    },
    { timeout, message: `${n} results` },
  );
}

/** The search result row of a listing. */
export function row(page, listingId) {
  return page.locator(`${tid("listing-row")}[data-listing-id="${listingId}"]`);
}

/** The rows of the detail page's 价格与库存记录 (newest first) as [kind, text]. */
export async function historyRows(page) {
  return page.locator(`${tid("history-table")} ${tid("history-row")}`).evaluateAll((rows) => rows.map((r) => [r.dataset.kind, r.innerText]));
}

/** True once every listing image on the page has been downloaded and decoded (naturalWidth > 0). */
export async function imagesLoaded(page) {
  return page.locator(`img${tid("listing-image")}, ${tid("listing-image")} img`).evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0));
}

/** The form-item error under the input with data-testid `testId`. */
export function fieldError(page, testId) {
  return page.locator(`.ant-form-item:has(${tid(testId)}) .ant-form-item-explain-error`);
}
