// Unit tests of the catalog helpers: filter state ↔ query string, request building, decimals, ranges, the category
// tree and where server field violations land on the listing form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareDecimal, formatTonnes, normaliseDecimalInput, sameDecimal, sumDecimals } from "../.unit/lib/decimal.js";
import {
  EMPTY_FILTERS,
  activeFilterCount,
  backoffDelay,
  filtersFromParams,
  filtersToParams,
  searchRequest,
  toggleValue,
  withAttribute,
  withCategory,
  withRange,
} from "../.unit/lib/catalogQuery.js";
import { buildTree, cascaderOptions, decodeRange, encodeRange, facetOnlyAttributes, filterAttributes, formatAttributeValue, isLeaf, leavesUnder, pathTo, allowedWeightBases } from "../.unit/lib/categories.js";
import { listingFieldName, normaliseSignedAmount, specFromValues, tierRowsFromSpec, tiersForSpec, valuesFromListing } from "../.unit/lib/listingForm.js";
import { CITY_FACET_KEY } from "../.unit/lib/catalogQuery.js";

test("decimals compare, add and format exactly", () => {
  assert.equal(compareDecimal("25.500", "25.5"), 0);
  assert.equal(compareDecimal("0.1", "0.10000000000000001"), -1);
  assert.equal(compareDecimal("-3", "2"), -1);
  assert.equal(compareDecimal("12", "9.999"), 1);
  assert.ok(sameDecimal("500.000", "500"));
  assert.ok(!sameDecimal("500.001", "500"));
  assert.equal(sumDecimals(["3500.00", "80.00", "-20.00"]), "3560.00");
  assert.equal(sumDecimals(["0.1", "0.2"]), "0.30");
  assert.equal(sumDecimals(["-1.005", "0.005"]), "-1.00");
  assert.equal(sumDecimals([]), "0.00");
  assert.equal(formatTonnes("1234.5"), "1,234.500");
  assert.equal(formatTonnes("25.500"), "25.500");
  assert.equal(formatTonnes(""), "—");
  assert.equal(normaliseDecimalInput("0025.500", 3), "25.5");
  assert.equal(normaliseDecimalInput("1,000", 3), "1000");
  assert.equal(normaliseDecimalInput("1.2345", 3), null);
  assert.equal(normaliseDecimalInput("-5", 3), null);
  assert.equal(normaliseDecimalInput("-5", 3, true), "-5");
  assert.equal(normaliseDecimalInput("12.5", 0), null);
});

test("catalog filters survive a round trip through the query string", () => {
  const f = {
    ...EMPTY_FILTERS,
    category: "steel.rebar",
    keyword: "沙钢 螺纹",
    attrs: { grade: ["HRB400E", "HRB500E"], mill: ["shagang"] },
    ranges: { diameter: { min: "12", max: "25" }, length: { min: "", max: "12" } },
    priceMin: "3000",
    priceMax: "4000.5",
    origins: ["江苏张家港"],
    cities: ["上海", "南京"],
    sort: "price_asc",
    pages: ["tok2", "tok3"],
  };
  const qs = filtersToParams(f).toString();
  assert.deepEqual(filtersFromParams(new URLSearchParams(qs)), f);
  assert.match(qs, /^cat=steel.rebar&q=/);
  assert.equal(filtersToParams(EMPTY_FILTERS).toString(), "");
  // Unknown sort and blanks fall back to the defaults.
  const g = filtersFromParams(new URLSearchParams("sort=cheapest&a.grade=&n.diameter=..&city=%20"));
  assert.deepEqual(g, EMPTY_FILTERS);
});

test("filter changes reset paging; a category change drops attribute filters", () => {
  const f = { ...EMPTY_FILTERS, category: "steel.rebar", attrs: { grade: ["HRB400E"] }, ranges: { diameter: { min: "12", max: "" } }, cities: ["上海"], pages: ["t"] };
  const g = withAttribute(f, "grade", toggleValue(f.attrs.grade, "HRB500E", true));
  assert.deepEqual(g.attrs.grade, ["HRB400E", "HRB500E"]);
  assert.deepEqual(g.pages, []);
  assert.deepEqual(withAttribute(f, "grade", toggleValue(f.attrs.grade, "HRB400E", false)).attrs, {});
  assert.deepEqual(withRange(f, "diameter", { min: "", max: "" }).ranges, {});
  const h = withCategory(f, "steel.hrc");
  assert.deepEqual([h.category, h.attrs, h.ranges, h.cities], ["steel.hrc", {}, {}, ["上海"]]);
  assert.equal(activeFilterCount(f), 3);
});

test("search request: the current page token, valid bounds only, prices in CNY", () => {
  const f = {
    ...EMPTY_FILTERS,
    category: "steel.rebar",
    keyword: "  沙钢 ",
    attrs: { mill: ["shagang"], grade: ["HRB400E"] },
    ranges: { diameter: { min: "16", max: "abc" }, length: { min: "x", max: "" } },
    priceMin: "3,600",
    priceMax: "4000.555",
    pages: ["p2", "p3"],
  };
  assert.deepEqual(searchRequest(f, 20), {
    categoryId: "steel.rebar",
    keyword: "沙钢",
    attributeFilters: [
      { attributeKey: "grade", values: ["HRB400E"] },
      { attributeKey: "mill", values: ["shagang"] },
    ],
    numberRanges: [{ attributeKey: "diameter", min: { value: "16" } }],
    priceMin: { currencyCode: "CNY", amount: "3600" },
    origins: [],
    warehouseCities: [],
    pageSize: 20,
    pageToken: "p3",
  });
  assert.equal(searchRequest(EMPTY_FILTERS, 20).pageToken, "");
});

test("reconnect backoff doubles up to 30 s with jitter", () => {
  assert.equal(backoffDelay(0, () => 0.5), 1000);
  assert.equal(backoffDelay(3, () => 0.5), 8000);
  assert.equal(backoffDelay(20, () => 0.5), 30000);
  assert.equal(backoffDelay(1, () => 0), 1600);
  assert.equal(backoffDelay(1, () => 1), 2400);
});

const attr = (key, kind, extra = {}) => ({ key, labelZh: key, labelEn: key, kind, options: [], unit: "", decimals: 0, maxLength: 0, required: false, filterable: true, shownInList: true, ...extra });
const cat = (categoryId, parentId, nameZh, sortOrder, attributes = [], weightBases = []) => ({ categoryId, parentId, nameZh, nameEn: nameZh + "-en", level: 0, sortOrder, attributes, weightBases });
const grade = attr("grade", 1, { labelZh: "材质", options: [{ value: "HRB400E", labelZh: "HRB400E", labelEn: "HRB400E" }] });
const mill = attr("mill", 1, { labelZh: "钢厂", options: [{ value: "shagang", labelZh: "沙钢", labelEn: "Shagang" }] });
const diameter = attr("diameter", 2, { unit: "mm", min: { value: "12" }, max: { value: "32" } });
const length = attr("length", 3, { unit: "m", filterable: false });
const TREE = buildTree([
  cat("metals", "", "金属矿产", 0),
  cat("steel", "metals", "钢材", 1, [mill], [1, 2]),
  cat("steel.rebar", "steel", "螺纹钢", 3, [mill, grade, diameter, length], [1, 2]),
  cat("steel.hrc", "steel", "热轧板卷", 2, [mill, grade], [2]),
  cat("agri", "", "农产品", 4),
  cat("agri.corn", "agri", "玉米", 5),
]);

test("category tree: paths, leaves, sibling order and cascader options", () => {
  assert.deepEqual(pathTo(TREE, "steel.rebar").map((c) => c.categoryId), ["metals", "steel", "steel.rebar"]);
  assert.deepEqual(pathTo(TREE, "nope"), []);
  assert.ok(isLeaf(TREE, "agri.corn") && !isLeaf(TREE, "steel"));
  assert.deepEqual(leavesUnder(TREE, "metals").map((c) => c.categoryId), ["steel.hrc", "steel.rebar"]);
  const opts = cascaderOptions(TREE, "zh-CN");
  assert.equal(opts[0].children[0].children[1].label, "螺纹钢");
  assert.equal(opts[1].children[0].children, undefined);
  assert.equal(cascaderOptions(TREE, "en-US")[1].label, "农产品-en");
  assert.deepEqual(filterAttributes(TREE, "steel.rebar").map((a) => a.key), ["mill", "grade", "diameter"]);
  assert.deepEqual(facetOnlyAttributes(TREE, "steel", ["grade", "mill", "city"]).map((a) => a.key), ["grade"]);
  assert.deepEqual(allowedWeightBases(TREE.byId.get("steel.hrc")), [2]);
  assert.deepEqual(allowedWeightBases(TREE.byId.get("agri.corn")), [1, 2]);
});

test("attribute values read with labels and units; ranges travel as from-to", () => {
  assert.equal(formatAttributeValue(mill, "shagang", "zh-CN"), "沙钢");
  assert.equal(formatAttributeValue(mill, "shagang", "en-US"), "Shagang");
  assert.equal(formatAttributeValue(mill, "unknown", "zh-CN"), "unknown");
  assert.equal(formatAttributeValue(diameter, "25", "zh-CN"), "25 mm");
  assert.equal(formatAttributeValue(length, "9-12", "zh-CN"), "9–12 m");
  assert.equal(formatAttributeValue(length, "12-12", "zh-CN"), "12 m");
  assert.equal(encodeRange(" 9", "12 "), "9-12");
  assert.deepEqual(decodeRange("9-12"), { from: "9", to: "12" });
  assert.deepEqual(decodeRange("2000.5 - 18000"), { from: "2000.5", to: "18000" });
  assert.deepEqual(decodeRange("12"), { from: "12", to: "12" });
  assert.deepEqual(decodeRange("abc"), { from: "", to: "" });
});

const SCHEMA = [attr("grade", 1), attr("diameter", 2), attr("length", 3), attr("product_name", 4), attr("weight_basis", 1)];

test("listing form values become a ListingSpec without floats", () => {
  const values = {
    categoryPath: ["metals", "steel", "steel.rebar"],
    name: " 螺纹钢 HRB400E Φ25 ",
    attributes: { grade: "HRB400E", diameter: "25", length: { from: "9", to: "12" }, product_name: "", weight_basis: "weighed" },
    brand: "",
    origin: "江苏张家港",
    warehouseCity: "上海",
    warehouseAddress: "上海市宝山区蕰川路 1 号",
    weightBasis: 1,
    deliveryPriceBasis: 1,
    priceMode: "unit",
    unitPrice: "3,650",
    basePrice: "",
    extras: [{ attributeKey: "diameter", attributeValue: "25", amount: "-20" }],
    tiers: [{ minQuantity: "50", unitPrice: "3620.5" }, {}],
    moq: "10",
    stock: "1,500.5",
    imageFileIds: ["f_1"],
  };
  const spec = specFromValues(values, SCHEMA);
  assert.deepEqual(spec, {
    categoryId: "steel.rebar",
    name: "螺纹钢 HRB400E Φ25",
    attributes: { grade: "HRB400E", diameter: "25", length: "9-12" },
    brand: "",
    origin: "江苏张家港",
    warehouseCity: "上海",
    warehouseAddress: "上海市宝山区蕰川路 1 号",
    weightBasis: 1,
    deliveryPriceBasis: 1,
    deliveredTo: "",
    unitPrice: { currencyCode: "CNY", amount: "3650.00" },
    extras: [],
    tiers: [{ minQuantityTonnes: { value: "50" }, unitPrice: { currencyCode: "CNY", amount: "3620.50" } }],
    moqTonnes: { value: "10" },
    stockTonnes: { value: "1500.5" },
    imageFileIds: ["f_1"],
    sellerSku: "",
  });
  const based = specFromValues({ ...values, priceMode: "base", basePrice: "3500", tiers: [] }, SCHEMA);
  assert.equal(based.unitPrice, undefined);
  assert.deepEqual(based.basePrice, { currencyCode: "CNY", amount: "3500.00" });
  assert.deepEqual(based.extras, [{ attributeKey: "diameter", attributeValue: "25", amount: { currencyCode: "CNY", amount: "-20.00" } }]);
  assert.equal(normaliseSignedAmount("-0"), "0.00");
  assert.equal(normaliseSignedAmount("1.234"), null);
});

test("a listing fills the edit form (ranges split, weight-basis mirror dropped)", () => {
  const listing = {
    spec: {
      categoryId: "steel.rebar",
      name: "螺纹钢",
      attributes: { grade: "HRB400E", length: "9-12", weight_basis: "theoretical" },
      brand: "沙钢",
      origin: "江苏张家港",
      warehouseCity: "上海",
      warehouseAddress: "地址地址地址",
      weightBasis: 1,
      deliveryPriceBasis: 1,
      unitPrice: { currencyCode: "CNY", amount: "3650.00" },
      extras: [],
      tiers: [{ minQuantityTonnes: { value: "50.000" }, unitPrice: { currencyCode: "CNY", amount: "3620.00" } }],
      moqTonnes: { value: "10.000" },
      stockTonnes: { value: "500.000" },
      imageFileIds: [],
    },
  };
  const v = valuesFromListing(listing, ["metals", "steel", "steel.rebar"], SCHEMA);
  assert.deepEqual(v.attributes, { grade: "HRB400E", length: { from: "9", to: "12" } });
  assert.equal(v.priceMode, "unit");
  assert.deepEqual(v.tiers, [{ minQuantity: "50.000", unitPrice: "3620.00" }]);
  assert.deepEqual(specFromValues(v, SCHEMA).attributes, { grade: "HRB400E", length: "9-12" });
});

test("server field violations land on the listing form's fields", () => {
  assert.deepEqual(listingFieldName("spec.attributes.diameter"), ["attributes", "diameter"]);
  assert.deepEqual(listingFieldName("attributes.product_name"), ["attributes", "product_name"]);
  assert.deepEqual(listingFieldName("attributes.weight_basis"), ["weightBasis"]);
  assert.deepEqual(listingFieldName("spec.tiers[0].unit_price"), ["tiers", 0, "unitPrice"]);
  assert.deepEqual(listingFieldName("pricing.tiers[2].min_tonnes"), ["tiers", 2, "minQuantity"]);
  assert.deepEqual(listingFieldName("spec.tiers[1].min_quantity_tonnes"), ["tiers", 1, "minQuantity"]);
  assert.deepEqual(listingFieldName("pricing.tiers[1]"), ["tiers", 1, "unitPrice"]);
  assert.deepEqual(listingFieldName("pricing.extras[0].value"), ["extras", 0, "attributeValue"]);
  assert.deepEqual(listingFieldName("spec.extras[3].amount"), ["extras", 3, "amount"]);
  assert.deepEqual(listingFieldName("warehouse.city"), ["warehouseCity"]);
  assert.deepEqual(listingFieldName("spec.warehouse_address"), ["warehouseAddress"]);
  assert.deepEqual(listingFieldName("price_basis.delivered_to"), ["deliveredTo"]);
  assert.deepEqual(listingFieldName("spec.delivered_to"), ["deliveredTo"]);
  assert.deepEqual(listingFieldName("price_basis.delivery"), ["deliveryPriceBasis"]);
  assert.deepEqual(listingFieldName("spec.seller_sku"), ["sellerSku"]);
  // A tier's price problem lands on the figure the form shows in that pricing mode.
  assert.deepEqual(listingFieldName("spec.tiers[0].discount_per_tonne", "base"), ["tiers", 0, "discount"]);
  assert.deepEqual(listingFieldName("spec.tiers[1].unit_price", "base"), ["tiers", 1, "discount"]);
  assert.deepEqual(listingFieldName("spec.tiers[1]", "base"), ["tiers", 1, "discount"]);
  assert.deepEqual(listingFieldName("spec.tiers[1].min_quantity_tonnes", "base"), ["tiers", 1, "minQuantity"]);
  assert.deepEqual(listingFieldName("min_order"), ["moq"]);
  assert.deepEqual(listingFieldName("spec.moq_tonnes"), ["moq"]);
  assert.deepEqual(listingFieldName("stock_tonnes"), ["stock"]);
  assert.deepEqual(listingFieldName("spec.image_file_ids[0]"), ["imageFileIds"]);
  assert.deepEqual(listingFieldName("category_id"), ["categoryPath"]);
  assert.equal(listingFieldName("pricing"), null);
  assert.equal(listingFieldName("seller_enterprise_id"), null);
});

test("tiers: unit prices with a unit price, discounts per tonne with base price + extras", () => {
  const rows = [{ minQuantity: "50", unitPrice: "3,620", discount: "30" }, { minQuantity: "100.5", unitPrice: "3600.5", discount: "45.5" }, {}];
  assert.deepEqual(tiersForSpec(rows, "unit"), [
    { minQuantityTonnes: { value: "50" }, unitPrice: { currencyCode: "CNY", amount: "3620.00" } },
    { minQuantityTonnes: { value: "100.5" }, unitPrice: { currencyCode: "CNY", amount: "3600.50" } },
  ]);
  const based = tiersForSpec(rows, "base");
  assert.deepEqual(based, [
    { minQuantityTonnes: { value: "50" }, discountPerTonne: { currencyCode: "CNY", amount: "30.00" } },
    { minQuantityTonnes: { value: "100.5" }, discountPerTonne: { currencyCode: "CNY", amount: "45.50" } },
  ]);
  assert.ok(based.every((t) => !("unitPrice" in t)), "a discount tier sends no unit price");
  // Invalid text is passed on so the server names the field.
  assert.deepEqual(tiersForSpec([{ minQuantity: "60", discount: "abc" }], "base"), [{ minQuantityTonnes: { value: "60" }, discountPerTonne: { currencyCode: "CNY", amount: "abc" } }]);

  // A base price + extras listing read back: discount tiers carry both figures; the form edits the discount.
  const readBack = [{ minQuantityTonnes: { value: "50.000" }, unitPrice: { currencyCode: "CNY", amount: "3550.00" }, discountPerTonne: { currencyCode: "CNY", amount: "30.00" } }];
  assert.deepEqual(tierRowsFromSpec(readBack, "base"), [{ minQuantity: "50.000", discount: "30.00" }]);
  // A unit-price listing with discount tiers (from the SDK) edits as unit prices (the response's unit_price is exact there).
  assert.deepEqual(tierRowsFromSpec(readBack, "unit"), [{ minQuantity: "50.000", unitPrice: "3550.00" }]);

  const listing = {
    spec: {
      categoryId: "steel.rebar",
      name: "螺纹钢",
      attributes: {},
      brand: "",
      origin: "江苏常州",
      warehouseCity: "南京",
      warehouseAddress: "地址地址地址",
      weightBasis: 1,
      deliveryPriceBasis: 1,
      basePrice: { currencyCode: "CNY", amount: "3500.00" },
      extras: [{ attributeKey: "diameter", attributeValue: "16", amount: { currencyCode: "CNY", amount: "80.00" } }],
      tiers: readBack,
      moqTonnes: { value: "20.000" },
      stockTonnes: { value: "300.000" },
      imageFileIds: [],
    },
  };
  const v = valuesFromListing(listing, ["metals", "steel", "steel.rebar"], SCHEMA);
  assert.equal(v.priceMode, "base");
  const again = specFromValues(v, SCHEMA);
  assert.deepEqual(again.tiers, [{ minQuantityTonnes: { value: "50.000" }, discountPerTonne: { currencyCode: "CNY", amount: "30.00" } }]);
  assert.equal(again.unitPrice, undefined);
  assert.deepEqual(again.basePrice, { currencyCode: "CNY", amount: "3500.00" });
});

test("到货价 sends where it delivers to; 出厂价 sends no place; the seller's code is trimmed", () => {
  const base = {
    categoryPath: ["metals", "steel", "steel.rebar"],
    name: "螺纹钢",
    attributes: {},
    origin: "江苏张家港",
    warehouseCity: "杭州",
    warehouseAddress: "浙江省杭州市拱墅区石祥路 99 号",
    weightBasis: 2,
    priceMode: "unit",
    unitPrice: "3900",
    extras: [],
    tiers: [],
    moq: "5",
    stock: "200",
    imageFileIds: [],
    sellerSku: "  ERP-0001 ",
  };
  const delivered = specFromValues({ ...base, deliveryPriceBasis: 2, deliveredTo: " 上海市宝山区 " }, SCHEMA);
  assert.equal(delivered.deliveryPriceBasis, 2);
  assert.equal(delivered.deliveredTo, "上海市宝山区");
  assert.equal(delivered.sellerSku, "ERP-0001");
  const exWorks = specFromValues({ ...base, deliveryPriceBasis: 1, deliveredTo: "上海市宝山区" }, SCHEMA);
  assert.equal(exWorks.deliveredTo, "", "a place left in the hidden field is not sent with 出厂价");
  const v = valuesFromListing({ spec: { ...delivered, tiers: [], extras: [] } }, base.categoryPath, SCHEMA);
  assert.equal(v.deliveredTo, "上海市宝山区");
  assert.equal(v.deliveryPriceBasis, 2);
  assert.equal(v.sellerSku, "ERP-0001");
  assert.equal(valuesFromListing({ spec: { ...exWorks, deliveredTo: undefined, sellerSku: undefined, tiers: [], extras: [] } }, base.categoryPath, SCHEMA).deliveredTo, "");
});

test("the warehouse city facet is keyed warehouse_city", () => {
  assert.equal(CITY_FACET_KEY, "warehouse_city");
});
