// Unit tests of the negotiation helpers: the terms form ↔ Terms, where server violations land, what each side may do,
// totals lines, diff labels, chat merging, the RFQ comparison and cart.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BALANCE,
  CHARGE,
  DELIVERY,
  KIND,
  SIDE,
  STATUS,
  addToCart,
  buyerEnterprises,
  defaultDiffPair,
  diffFieldLabel,
  formatDateMessage,
  lowestTotalThreads,
  maxSequence,
  mergeMessages,
  minSequence,
  msToTimestamp,
  parseDateText,
  quoteBaseOffer,
  rfqCartProblem,
  sellerEnterprises,
  termsFieldName,
  termsFromValues,
  threadActions,
  timestampToMs,
  totalsLines,
  valuesFromTerms,
  withQuoteValidity,
} from "../.unit/lib/negotiation.js";

const money = (amount) => ({ currencyCode: "CNY", amount });

test("the form's values become Terms: canonical decimals, absent optional fields, balance days only for 账期", () => {
  const terms = termsFromValues({
    productName: " 螺纹钢 HRB400E Φ25 ",
    attributes: [
      { key: "grade", label: "材质", value: "HRB400E" },
      { key: "mill", value: "" },
    ],
    quantity: "1,200.5",
    unitPrice: "3,650",
    taxIncluded: true,
    deliveryBasis: DELIVERY.DELIVERED,
    deliveryDate: "2026-12-01",
    deliveryPlace: "上海市宝山区",
    transportMode: 1,
    depositPercent: "10.0",
    balanceTiming: BALANCE.ON_DELIVERY,
    balanceDays: "30",
    services: [{ kind: 1, amount: "25", unit: CHARGE.PER_TONNE }, { kind: 2 }],
    discounts: [{ minQuantity: "500", discount: "20" }, { minQuantity: "" }],
    validUntil: Date.UTC(2026, 10, 20, 10, 0, 0, 250),
    notes: "",
  });
  assert.equal(terms.productName, "螺纹钢 HRB400E Φ25");
  assert.deepEqual(terms.attributes, { grade: "HRB400E" });
  assert.deepEqual(terms.quantityTonnes, { value: "1200.5" });
  assert.deepEqual(terms.unitPrice, money("3650.00"));
  assert.deepEqual(terms.deliveryDate, { year: 2026, month: 12, day: 1 });
  assert.deepEqual(terms.payment, { depositPercent: { value: "10" }, balanceTiming: BALANCE.ON_DELIVERY, balanceDays: 0 });
  assert.deepEqual(terms.services, [{ kind: 1, amount: money("25.00"), unit: CHARGE.PER_TONNE }]);
  assert.deepEqual(terms.volumeDiscounts, [{ minQuantityTonnes: { value: "500" }, discountPerTonne: money("20.00") }]);
  assert.equal(timestampToMs(terms.validUntil), Date.UTC(2026, 10, 20, 10, 0, 0, 250));

  const bare = termsFromValues({ productName: "x", quantity: "10" });
  assert.equal(bare.unitPrice, undefined, "no target price → absent, not zero");
  assert.equal(bare.payment, undefined);
  assert.equal(bare.deliveryDate, undefined);
  assert.equal(bare.validUntil, undefined);
  assert.equal(bare.taxIncluded, true);

  const credit = termsFromValues({ quantity: "1", balanceTiming: BALANCE.AFTER_DELIVERY, balanceDays: "45" });
  assert.deepEqual(credit.payment, { depositPercent: undefined, balanceTiming: BALANCE.AFTER_DELIVERY, balanceDays: 45 });
  // Unparseable input goes to the server as typed, which names the field.
  assert.deepEqual(termsFromValues({ quantity: "12.3456" }).quantityTonnes, { value: "12.3456" });
});

test("a version's terms prefill the form and come back unchanged", () => {
  const original = {
    productName: "螺纹钢",
    attributes: { grade: "HRB400E" },
    quantityTonnes: { value: "300" },
    unitPrice: money("3650.00"),
    taxIncluded: true,
    deliveryBasis: DELIVERY.EX_WORKS,
    services: [{ kind: 1, amount: money("25.00"), unit: CHARGE.LUMP_SUM }],
    volumeDiscounts: [{ minQuantityTonnes: { value: "500" }, discountPerTonne: money("20.00") }],
    deliveryDate: { year: 2026, month: 3, day: 9 },
    deliveryPlace: "上海",
    transportMode: 2,
    qualityStandard: "GB/T 1499.2-2018",
    payment: { depositPercent: { value: "20" }, balanceTiming: BALANCE.AFTER_DELIVERY, balanceDays: 30 },
    validUntil: msToTimestamp(Date.UTC(2026, 2, 1)),
    notes: "old notes",
  };
  const values = valuesFromTerms(original, { grade: "材质" });
  assert.equal(values.deliveryDate, "2026-03-09");
  assert.deepEqual(values.attributes, [{ key: "grade", value: "HRB400E", label: "材质" }]);
  assert.equal(values.balanceDays, "30");
  const back = termsFromValues({ ...values, notes: "old notes" });
  assert.deepEqual(back, { ...original, unitPrice: money("3650.00") });
});

test("a quote gets a validity: the given one when still ahead, else 24 hours from now", () => {
  const now = Date.UTC(2026, 0, 1, 8);
  assert.equal(withQuoteValidity({}, now).validUntil, now + 24 * 3_600_000);
  assert.equal(withQuoteValidity({ validUntil: now - 1000 }, now).validUntil, now + 24 * 3_600_000);
  assert.equal(withQuoteValidity({ validUntil: now + 2 * 3_600_000 }, now).validUntil, now + 2 * 3_600_000);
});

test("dates: Date messages ↔ YYYY-MM-DD", () => {
  assert.equal(formatDateMessage({ year: 2026, month: 1, day: 5 }), "2026-01-05");
  assert.equal(formatDateMessage({ year: 0, month: 0, day: 0 }), "");
  assert.equal(formatDateMessage(undefined), "");
  assert.deepEqual(parseDateText("2026-11-20"), { year: 2026, month: 11, day: 20 });
  assert.equal(parseDateText("2026-13-01"), undefined);
  assert.equal(parseDateText("20.11.2026"), undefined);
});

test("server field violations land on the terms form's fields", () => {
  assert.deepEqual(termsFieldName("terms.unit_price.amount"), ["unitPrice"]);
  assert.deepEqual(termsFieldName("terms.quantity_tonnes.value"), ["quantity"]);
  assert.deepEqual(termsFieldName("terms.quantity_tonnes"), ["quantity"]);
  assert.deepEqual(termsFieldName("terms.delivery_date"), ["deliveryDate"]);
  assert.deepEqual(termsFieldName("terms.payment.deposit_percent.value"), ["depositPercent"]);
  assert.deepEqual(termsFieldName("terms.payment.balance_days"), ["balanceDays"]);
  assert.deepEqual(termsFieldName("terms.payment"), ["balanceTiming"]);
  assert.deepEqual(termsFieldName("terms.services[1].amount.amount"), ["services", 1, "amount"]);
  assert.deepEqual(termsFieldName("terms.services.0.unit"), ["services", 0, "unit"]);
  assert.deepEqual(termsFieldName("terms.volume_discounts[2].min_quantity_tonnes.value"), ["discounts", 2, "minQuantity"]);
  assert.deepEqual(termsFieldName("terms.volume_discounts[0].discount_per_tonne"), ["discounts", 0, "discount"]);
  assert.deepEqual(termsFieldName("terms.valid_until"), ["validUntil"]);
  assert.deepEqual(termsFieldName("terms.attributes.grade", ["mill", "grade"]), ["attributes", 1, "value"]);
  assert.equal(termsFieldName("terms.attributes.unknown", ["grade"]), null);
  assert.equal(termsFieldName("buyer_enterprise_id"), null);
  assert.equal(termsFieldName("etag"), null);
});

test("each side gets the actions its status allows", () => {
  const buyer = (status, open = 0) => threadActions({ status, callerSide: SIDE.BUYER, openQuoteVersion: open });
  const seller = (status, open = 0) => threadActions({ status, callerSide: SIDE.SELLER, openQuoteVersion: open });
  assert.deepEqual(buyer(STATUS.AWAITING_QUOTE), { accept: false, counter: false, decline: true, quote: false, acceptCounter: false, withdraw: false });
  assert.deepEqual(buyer(STATUS.QUOTED, 2), { accept: true, counter: true, decline: true, quote: false, acceptCounter: false, withdraw: false });
  assert.equal(buyer(STATUS.QUOTED, 0).accept, false, "no open quote, nothing to accept");
  assert.equal(buyer(STATUS.COUNTERED).counter, true, "revise the own counter");
  assert.equal(buyer(STATUS.EXPIRED).accept, false);
  assert.equal(buyer(STATUS.EXPIRED).counter, true);
  for (const s of [STATUS.ACCEPTED, STATUS.DECLINED, STATUS.CLOSED]) {
    assert.deepEqual(Object.values(buyer(s, 2)).some(Boolean), false, `buyer has nothing to do in ${s}`);
    assert.deepEqual(Object.values(seller(s, 2)).some(Boolean), false, `seller has nothing to do in ${s}`);
  }
  assert.deepEqual(seller(STATUS.AWAITING_QUOTE), { accept: false, counter: false, decline: false, quote: true, acceptCounter: false, withdraw: false });
  assert.deepEqual(seller(STATUS.QUOTED, 2), { accept: false, counter: false, decline: false, quote: true, acceptCounter: false, withdraw: true });
  assert.deepEqual(seller(STATUS.COUNTERED), { accept: false, counter: false, decline: false, quote: true, acceptCounter: true, withdraw: false });
  assert.equal(seller(STATUS.WITHDRAWN).quote, true);
  assert.equal(threadActions({ status: STATUS.QUOTED, callerSide: 0, openQuoteVersion: 2 }).accept, false);
});

test("the quote form starts from the counter (接受还价) or from the seller's last quote", () => {
  const offers = [
    { version: 1, kind: KIND.INQUIRY },
    { version: 2, kind: KIND.QUOTE },
    { version: 3, kind: KIND.COUNTER_OFFER },
  ];
  assert.equal(quoteBaseOffer(offers, true).version, 3);
  assert.equal(quoteBaseOffer(offers, false).version, 2);
  assert.equal(quoteBaseOffer(offers.slice(0, 1), false).version, 1, "the first quote starts from the inquiry");
  assert.deepEqual(defaultDiffPair(offers), [2, 3]);
  assert.equal(defaultDiffPair(offers.slice(0, 1)), null);
});

test("totals lines: discount, services and deposit only when not zero", () => {
  assert.deepEqual(totalsLines(undefined), []);
  const lines = totalsLines({
    goodsAmount: money("1095000.00"),
    discountAmount: money("0.00"),
    servicesAmount: money("7500.00"),
    totalAmount: money("1102500.00"),
    effectiveUnitPrice: money("3675.00"),
    depositAmount: money("110250.00"),
  });
  assert.deepEqual(
    lines.map((l) => [l.key, l.amount.amount]),
    [
      ["goods", "1095000.00"],
      ["services", "7500.00"],
      ["total", "1102500.00"],
      ["effective", "3675.00"],
      ["deposit", "110250.00"],
    ],
  );
  assert.deepEqual(
    totalsLines({ goodsAmount: money("100"), discountAmount: money("5"), totalAmount: money("95"), depositAmount: money("0") }).map((l) => l.key),
    ["goods", "discount", "total"],
  );
});

test("diff fields are labelled: terms, payment parts, totals, attributes, rows", () => {
  assert.deepEqual(diffFieldLabel("unit_price"), { key: "neg.f.unitPrice", index: undefined });
  assert.deepEqual(diffFieldLabel("delivery_date"), { key: "neg.f.deliveryDate", index: undefined });
  assert.deepEqual(diffFieldLabel("payment.deposit_percent"), { key: "neg.f.depositPercent", index: undefined });
  assert.deepEqual(diffFieldLabel("payment"), { key: "neg.f.payment", index: undefined });
  assert.deepEqual(diffFieldLabel("totals.total_amount"), { key: "neg.totals.total", index: undefined });
  assert.deepEqual(diffFieldLabel("attributes.grade"), { attribute: "grade" });
  assert.deepEqual(diffFieldLabel("services[1].amount"), { key: "neg.f.services", index: 1 });
  assert.deepEqual(diffFieldLabel("volume_discounts"), { key: "neg.f.discounts", index: undefined });
  assert.deepEqual(diffFieldLabel("something_new"), { raw: "something_new" });
});

test("chat messages merge by sequence, oldest first, once each", () => {
  const m = (sequence, text) => ({ sequence: BigInt(sequence), text });
  const merged = mergeMessages([m(3, "c"), m(4, "d")], [m(2, "b"), m(4, "d'"), m(5, "e")]);
  assert.deepEqual(
    merged.map((x) => [Number(x.sequence), x.text]),
    [
      [2, "b"],
      [3, "c"],
      [4, "d'"],
      [5, "e"],
    ],
  );
  assert.equal(maxSequence(merged), 5n);
  assert.equal(minSequence(merged), 2n);
  assert.equal(maxSequence([]), 0n);
  assert.equal(minSequence([]), 0n);
  const same = [m(1, "a")];
  assert.equal(mergeMessages(same, []), same);
});

test("the RFQ comparison highlights the lowest total among quotes that stand", () => {
  const row = (threadId, status, total, expired = false) => ({ threadId, status, quote: total ? { expired, totals: { totalAmount: money(total) } } : undefined });
  const rows = [
    row("a", STATUS.QUOTED, "1102500.00"),
    row("b", STATUS.QUOTED, "1098000.50"),
    row("c", STATUS.QUOTED, "900000.00", true),
    row("d", STATUS.WITHDRAWN, "800000.00"),
    row("e", STATUS.AWAITING_QUOTE, ""),
    row("f", STATUS.QUOTED, "1098000.5"),
  ];
  assert.deepEqual(lowestTotalThreads(rows), ["b", "f"]);
  assert.deepEqual(lowestTotalThreads([row("e", STATUS.AWAITING_QUOTE, "")]), []);
});

test("the RFQ cart: 2–20 listings of different sellers, none of the buyer's own", () => {
  const item = (listingId, seller) => ({ listingId, name: listingId, sellerEnterpriseId: seller, sellerName: seller, categoryId: "steel.rebar" });
  assert.equal(rfqCartProblem([item("l1", "s1")], "b"), "tooFew");
  assert.equal(rfqCartProblem([item("l1", "s1"), item("l2", "s2")], "b"), null);
  assert.equal(rfqCartProblem([item("l1", "s1"), item("l2", "s1")], "b"), "sameSeller");
  assert.equal(rfqCartProblem([item("l1", "s1"), item("l2", "b")], "b"), "ownListing");
  assert.equal(rfqCartProblem(Array.from({ length: 21 }, (_, i) => item(`l${i}`, `s${i}`)), "b"), "tooMany");
  let cart = addToCart([], item("l1", "s1"));
  cart = addToCart(cart, item("l1", "s1"));
  assert.equal(cart.length, 1, "a listing once");
  cart = addToCart(cart, item("l3", "s1"));
  assert.deepEqual(
    cart.map((i) => i.listingId),
    ["l3"],
    "a second listing of the same seller replaces the first",
  );
});

test("who acts: buyers are Purchasers or Admins (not of the listing's seller), sellers Sales or Admins", () => {
  const list = [
    { enterpriseId: "e1", myRoles: [2] },
    { enterpriseId: "e2", myRoles: [3] },
    { enterpriseId: "e3", myRoles: [1] },
    { enterpriseId: "e4", myRoles: [4, 5] },
  ];
  assert.deepEqual(buyerEnterprises(list).map((e) => e.enterpriseId), ["e1", "e3"]);
  assert.deepEqual(buyerEnterprises(list, "e3").map((e) => e.enterpriseId), ["e1"]);
  assert.deepEqual(sellerEnterprises(list).map((e) => e.enterpriseId), ["e2", "e3"]);
});
