// Unit tests of the operator's category form: form values ↔ the Category message of UpsertCategory, the form a listed
// category fills (inherited attributes, VAT rate and weight bases split off), field violation paths, and the price
// history helpers of the listing detail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTree } from "../.unit/lib/categories.js";
import {
  INHERIT_VAT,
  attributeFromRow,
  categoryFieldName,
  categoryFromForm,
  formFromCategory,
  inheritedAttributes,
  newAttributeRow,
  newCategoryForm,
  parentChoices,
  rowFromAttribute,
  validAttributeKey,
  validCategoryId,
  vatValue,
} from "../.unit/lib/categoryForm.js";
import { newestFirst, sparklinePoints } from "../.unit/lib/priceHistory.js";

const def = (key, kind, extra = {}) => ({
  key,
  labelZh: key + "-zh",
  labelEn: key + "-en",
  kind,
  options: [],
  unit: "",
  prefix: "",
  decimals: 0,
  maxLength: 50,
  required: false,
  filterable: false,
  shownInList: false,
  ...extra,
});
const mill = def("mill", 1, { options: [{ value: "shagang", labelZh: "沙钢", labelEn: "Shagang" }], required: true, filterable: true, shownInList: true });
const grade = def("grade", 1, { options: [{ value: "HRB400E", labelZh: "HRB400E", labelEn: "HRB400E" }], filterable: true });
const diameter = def("diameter", 2, { unit: "mm", prefix: "Φ", min: { value: "12" }, max: { value: "32" } });
const cat = (categoryId, parentId, level, attributes, vat, weightBases, sortOrder = 0) => ({
  categoryId,
  parentId,
  nameZh: categoryId + "-zh",
  nameEn: categoryId + "-en",
  level,
  sortOrder,
  attributes,
  vatRate: { value: vat },
  weightBases,
});
// As ListCategories returns them: effective schema (inherited first), effective VAT rate and weight bases.
const TREE = buildTree([
  cat("metals", "", 1, [], "0.13", [2], 0),
  cat("steel", "metals", 2, [mill], "0.13", [1, 2], 1),
  cat("steel.rebar", "steel", 3, [mill, grade, diameter], "0.13", [1, 2], 2),
  cat("steel.hrc", "steel", 3, [mill, grade], "0.09", [2], 3),
]);

test("a listed category fills the form: inherited attributes, VAT rate and weight bases split off", () => {
  const rebar = formFromCategory(TREE, "steel.rebar");
  assert.deepEqual(rebar.inherited.map((a) => a.key), ["mill"]);
  assert.deepEqual(rebar.values.attributes.map((a) => a.key), ["grade", "diameter"]);
  assert.equal(rebar.values.parentId, "steel");
  assert.equal(rebar.values.vatRate, INHERIT_VAT, "same rate as the parent: inherited");
  assert.deepEqual(rebar.values.weightBases, [], "same bases as the parent: inherited");
  assert.deepEqual(rebar.values.attributes[1], {
    key: "diameter",
    labelZh: "diameter-zh",
    labelEn: "diameter-en",
    kind: 2,
    options: [],
    unit: "mm",
    prefix: "Φ",
    min: "12",
    max: "32",
    decimals: "0",
    maxLength: "50",
    required: false,
    filterable: false,
    shownInList: false,
  });

  const hrc = formFromCategory(TREE, "steel.hrc");
  assert.equal(hrc.values.vatRate, "0.09");
  assert.deepEqual(hrc.values.weightBases, [2]);

  const root = formFromCategory(TREE, "metals");
  assert.equal(root.values.parentId, "");
  assert.equal(root.values.vatRate, "0.13");
  assert.deepEqual(root.values.weightBases, [2]);
  assert.deepEqual(root.inherited, []);
  assert.equal(formFromCategory(TREE, "nope"), null);
});

test("the form becomes a Category with its own attributes only; sent back unchanged it is the same category", () => {
  const rebar = formFromCategory(TREE, "steel.rebar");
  const c = categoryFromForm(rebar.values);
  assert.deepEqual(
    { ...c, attributes: c.attributes.map((a) => a.key) },
    { categoryId: "steel.rebar", parentId: "steel", nameZh: "steel.rebar-zh", nameEn: "steel.rebar-en", level: 0, sortOrder: 0, weightBases: [], attributes: ["grade", "diameter"] },
  );
  assert.equal(c.vatRate, undefined, "an inherited rate is sent empty");
  assert.deepEqual(c.attributes[0], { ...grade, maxLength: 0, decimals: 0, prefix: "" });
  assert.deepEqual(c.attributes[1], { ...diameter, maxLength: 0 });

  const hrc = categoryFromForm(formFromCategory(TREE, "steel.hrc").values);
  assert.deepEqual(hrc.vatRate, { value: "0.09" });
  assert.deepEqual(hrc.weightBases, [2]);
});

test("an attribute row sends only its kind's members, trimmed", () => {
  const enumRow = {
    ...newAttributeRow(1),
    key: " rail_type ",
    labelZh: " 轨型 ",
    labelEn: "Rail type",
    options: [{ value: " p50 ", labelZh: "50轨", labelEn: "50 kg rail" }, {}, { value: "p60", labelZh: "60轨", labelEn: "60 kg rail" }],
    unit: "kg",
    min: "1",
    max: "2",
    required: true,
    filterable: true,
  };
  assert.deepEqual(attributeFromRow(enumRow), {
    key: "rail_type",
    labelZh: "轨型",
    labelEn: "Rail type",
    kind: 1,
    options: [
      { value: "p50", labelZh: "50轨", labelEn: "50 kg rail" },
      { value: "p60", labelZh: "60轨", labelEn: "60 kg rail" },
    ],
    unit: "",
    prefix: "",
    decimals: 0,
    maxLength: 0,
    required: true,
    filterable: true,
    shownInList: false,
  });
  const range = attributeFromRow({ ...newAttributeRow(3), key: "length", labelZh: "长度", labelEn: "Length", unit: " m ", min: "06.50", max: "12", decimals: "1", options: [{ value: "x" }] });
  assert.deepEqual([range.options, range.unit, range.min, range.max, range.decimals], [[], "m", { value: "6.5" }, { value: "12" }, 1]);
  const text = attributeFromRow({ ...newAttributeRow(4), key: "note", maxLength: "200", min: "1" });
  assert.deepEqual([text.maxLength, text.min, text.decimals], [200, undefined, 0]);
  // A listed attribute round-trips through a row.
  assert.deepEqual(attributeFromRow(rowFromAttribute(diameter)), { ...diameter, maxLength: 0 });
});

test("new categories: top level needs its own VAT rate; a child inherits by default", () => {
  const top = newCategoryForm("");
  assert.equal(top.vatRate, "0.13");
  const child = newCategoryForm("steel");
  assert.equal(child.vatRate, INHERIT_VAT);
  const c = categoryFromForm({ ...child, categoryId: " steel.rail_x1 ", nameZh: "钢轨", nameEn: "Rail", weightBases: [2, 1, 2] });
  assert.equal(c.categoryId, "steel.rail_x1");
  assert.equal(c.vatRate, undefined);
  assert.deepEqual(c.weightBases, [1, 2]);
  assert.deepEqual(inheritedAttributes(TREE, "steel.rebar").map((a) => a.key), ["mill", "grade", "diameter"]);
  assert.deepEqual(inheritedAttributes(TREE, ""), []);
  assert.equal(vatValue("0.130"), "0.13");
  assert.equal(vatValue("0"), "0");
  assert.equal(vatValue(""), INHERIT_VAT);
});

test("ids and keys are checked like the server does; a category cannot move under itself", () => {
  assert.ok(validCategoryId("steel.rail_k3f9"));
  assert.ok(!validCategoryId("Steel.rail"));
  assert.ok(!validCategoryId("steel..rail"));
  assert.ok(!validCategoryId("steel.9rail"));
  assert.ok(!validCategoryId("a".repeat(65)));
  assert.ok(validAttributeKey("rail_type"));
  assert.ok(!validAttributeKey("RailType"));
  assert.ok(!validAttributeKey("a".repeat(33)));
  assert.deepEqual(parentChoices(TREE, "steel").map((c) => c.categoryId), ["metals"]);
  assert.deepEqual(parentChoices(TREE, "", 3).map((c) => c.categoryId), ["metals", "steel"]);
});

test("server field violations land on the category form's fields", () => {
  assert.deepEqual(categoryFieldName("category.category_id"), ["categoryId"]);
  assert.deepEqual(categoryFieldName("category.parent_id"), ["parentId"]);
  assert.deepEqual(categoryFieldName("category.name_zh"), ["nameZh"]);
  assert.deepEqual(categoryFieldName("category.vat_rate"), ["vatRate"]);
  assert.deepEqual(categoryFieldName("category.weight_bases"), ["weightBases"]);
  assert.deepEqual(categoryFieldName("category.weight_bases[1]"), ["weightBases"]);
  assert.deepEqual(categoryFieldName("category.attributes[2].options[0]"), ["attributes", 2, "options", 0, "value"]);
  assert.deepEqual(categoryFieldName("category.attributes[2].options[1].label_en"), ["attributes", 2, "options", 1, "labelEn"]);
  assert.deepEqual(categoryFieldName("category.attributes[2].options"), ["attributes", 2, "options"]);
  assert.deepEqual(categoryFieldName("category.attributes[0].label_zh"), ["attributes", 0, "labelZh"]);
  assert.deepEqual(categoryFieldName("category.attributes[0].max_length"), ["attributes", 0, "maxLength"]);
  assert.deepEqual(categoryFieldName("category.attributes[1].min"), ["attributes", 1, "min"]);
  assert.deepEqual(categoryFieldName("category.attributes[1]"), ["attributes", 1, "key"]);
  assert.deepEqual(categoryFieldName("attributes[3].kind"), ["attributes", 3, "kind"]);
  assert.equal(categoryFieldName("category"), null);
  assert.equal(categoryFieldName("category.level"), null);
});

test("price history: newest first; the sparkline scales prices into the box", () => {
  const at = (s) => ({ seconds: BigInt(s), nanos: 0 });
  const changes = [
    { changeTime: at(100), kind: 1, listPrice: { amount: "3650.00" } },
    { changeTime: at(200), kind: 2, listPrice: { amount: "3680.00" } },
    { changeTime: at(200), kind: 3, listPrice: { amount: "3680.00" } },
  ];
  assert.deepEqual(newestFirst(changes).map((c) => c.kind), [3, 2, 1]);
  assert.equal(sparklinePoints(["3650.00"], 100, 40), null);
  assert.equal(sparklinePoints(["10", "20", "15"], 104, 46, 2), "2,44 52,2 102,23");
  assert.equal(sparklinePoints(["5", "5"], 100, 40, 0), "0,20 100,20");
});
