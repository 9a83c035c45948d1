// The operator's category form (类目管理): its values, the Category message UpsertCategory takes for them, the form a
// listed category fills, and where a server field violation belongs. Pure (structural types only) so it is unit tested.
//
// ListCategories returns each category's *effective* schema (inherited attributes first), VAT rate and weight bases.
// The form splits that: attributes whose key the parent's effective schema has are inherited (shown read-only, not
// sent); the rest are the category's own. A VAT rate or weight bases equal to the parent's are taken as inherited
// (sent empty), since the listing does not say whether the category set them itself.
import { KIND, type AttributeLike, type CategoryLike, type CategoryTree } from "./categories.js";
import { isDecimal, normaliseDecimalInput, sameDecimal } from "./decimal.js";

/** PRC VAT rates the server accepts. */
export const VAT_RATES = ["0.13", "0.09", "0.06", "0"] as const;
/** Form value of the VAT select meaning "inherit the parent's rate" (not allowed at the top level). */
export const INHERIT_VAT = "";

export interface OptionRow {
  value?: string;
  labelZh?: string;
  labelEn?: string;
}

export interface AttributeRow {
  key?: string;
  labelZh?: string;
  labelEn?: string;
  kind?: number;
  options?: OptionRow[];
  unit?: string;
  prefix?: string;
  min?: string;
  max?: string;
  decimals?: string | number;
  maxLength?: string | number;
  required?: boolean;
  filterable?: boolean;
  shownInList?: boolean;
}

export interface CategoryFormValues {
  categoryId: string;
  /** "" for a top-level category. */
  parentId: string;
  nameZh: string;
  nameEn: string;
  /** One of VAT_RATES, or INHERIT_VAT. */
  vatRate: string;
  /** WeightBasis values; empty inherits the parent's. */
  weightBases: number[];
  /** The category's own attributes (inherited ones are not part of the form). */
  attributes: AttributeRow[];
}

/** An attribute definition as UpsertCategory takes it: the listed shape, with a prefix always given. */
export type AttributeShape = AttributeLike & { prefix: string };

/** Plain Category (as the generated client accepts it) for UpsertCategory. */
export interface CategoryShape {
  categoryId: string;
  parentId: string;
  nameZh: string;
  nameEn: string;
  level: number;
  sortOrder: number;
  vatRate?: { value: string };
  weightBases: number[];
  attributes: AttributeShape[];
}

/** Categories as the form reads them (the generated Category satisfies it). */
export interface CategoryWithDefaults extends CategoryLike {
  vatRate?: { value: string };
}

const trim = (s: string | undefined) => (s ?? "").trim();

function intOf(v: string | number | undefined, fallback: number): number {
  const text = String(v ?? "").trim();
  return /^\d+$/.test(text) ? Number(text) : fallback;
}

function decimalOf(text: string | undefined): { value: string } | undefined {
  const t = trim(text);
  if (!t) return undefined;
  return { value: normaliseDecimalInput(t, 9, true) ?? t };
}

/** One attribute row as an AttributeDefinition: only the members of its kind are filled. */
export function attributeFromRow(row: AttributeRow): AttributeShape {
  const kind = row.kind ?? 0;
  const numeric = kind === KIND.NUMBER || kind === KIND.RANGE;
  const out: AttributeShape = {
    key: trim(row.key),
    labelZh: trim(row.labelZh),
    labelEn: trim(row.labelEn),
    kind,
    options:
      kind === KIND.ENUM
        ? (row.options ?? [])
            .filter((o) => trim(o.value) || trim(o.labelZh) || trim(o.labelEn))
            .map((o) => ({ value: trim(o.value), labelZh: trim(o.labelZh), labelEn: trim(o.labelEn) }))
        : [],
    unit: numeric ? trim(row.unit) : "",
    prefix: numeric ? trim(row.prefix) : "",
    decimals: numeric ? intOf(row.decimals, 0) : 0,
    maxLength: kind === KIND.TEXT ? intOf(row.maxLength, 50) : 0,
    required: !!row.required,
    filterable: !!row.filterable,
    shownInList: !!row.shownInList,
  };
  if (numeric) {
    const min = decimalOf(row.min);
    const max = decimalOf(row.max);
    if (min) out.min = min;
    if (max) out.max = max;
  }
  return out;
}

/** The Category sent for the form: its own attributes only, VAT and weight bases empty when inherited. */
export function categoryFromForm(v: CategoryFormValues): CategoryShape {
  const out: CategoryShape = {
    categoryId: trim(v.categoryId),
    parentId: trim(v.parentId),
    nameZh: trim(v.nameZh),
    nameEn: trim(v.nameEn),
    level: 0,
    sortOrder: 0,
    weightBases: [...new Set(v.weightBases ?? [])].sort(),
    attributes: (v.attributes ?? []).map(attributeFromRow),
  };
  if (trim(v.vatRate) !== INHERIT_VAT) out.vatRate = { value: trim(v.vatRate) };
  return out;
}

/** An AttributeDefinition of ListCategories as a form row. */
export function rowFromAttribute(a: AttributeLike & { prefix?: string }): AttributeRow {
  const numeric = a.kind === KIND.NUMBER || a.kind === KIND.RANGE;
  return {
    key: a.key,
    labelZh: a.labelZh,
    labelEn: a.labelEn,
    kind: a.kind,
    options: a.options.map((o) => ({ value: o.value, labelZh: o.labelZh, labelEn: o.labelEn })),
    unit: a.unit,
    prefix: a.prefix ?? "",
    min: numeric ? (a.min?.value ?? "") : "",
    max: numeric ? (a.max?.value ?? "") : "",
    decimals: numeric ? String(a.decimals) : "0",
    maxLength: a.kind === KIND.TEXT ? String(a.maxLength || 50) : "50",
    required: a.required,
    filterable: a.filterable,
    shownInList: a.shownInList,
  };
}

/** A new attribute row (ENUM with one empty option by default). */
export function newAttributeRow(kind: number = KIND.ENUM): AttributeRow {
  return {
    key: "",
    labelZh: "",
    labelEn: "",
    kind,
    options: kind === KIND.ENUM ? [{ value: "", labelZh: "", labelEn: "" }] : [],
    unit: "",
    prefix: "",
    min: "",
    max: "",
    decimals: "0",
    maxLength: "50",
    required: false,
    filterable: kind === KIND.ENUM,
    shownInList: false,
  };
}

/** The attributes a category under `parentId` inherits: the parent's effective schema (none at the top level). */
export function inheritedAttributes<C extends CategoryLike>(tree: CategoryTree<C>, parentId: string): AttributeLike[] {
  return parentId ? (tree.byId.get(parentId)?.attributes ?? []) : [];
}

/** The VAT select value for a rate: the allowed rate it equals, or the text as given. */
export function vatValue(rate: string | undefined): string {
  const text = trim(rate);
  if (!isDecimal(text)) return INHERIT_VAT;
  return VAT_RATES.find((r) => sameDecimal(r, text)) ?? text;
}

function sameSet(a: number[], b: number[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}

/** Empty form for a new category under parentId ("" for top level). */
export function newCategoryForm(parentId: string): CategoryFormValues {
  return { categoryId: "", parentId, nameZh: "", nameEn: "", vatRate: parentId ? INHERIT_VAT : "0.13", weightBases: [], attributes: [] };
}

/** The form for editing a listed category, and the attributes it inherits (read-only). */
export function formFromCategory<C extends CategoryWithDefaults>(tree: CategoryTree<C>, id: string): { values: CategoryFormValues; inherited: AttributeLike[] } | null {
  const c = tree.byId.get(id);
  if (!c) return null;
  const parent = c.parentId ? tree.byId.get(c.parentId) : undefined;
  const inherited = parent ? parent.attributes : [];
  const inheritedKeys = new Set(inherited.map((a) => a.key));
  const ownVat = parent && sameDecimal(c.vatRate?.value, parent.vatRate?.value) ? INHERIT_VAT : vatValue(c.vatRate?.value);
  const ownBases = parent && sameSet(c.weightBases, parent.weightBases) ? [] : [...c.weightBases];
  return {
    values: {
      categoryId: c.categoryId,
      parentId: parent ? parent.categoryId : "",
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      vatRate: ownVat,
      weightBases: ownBases,
      attributes: c.attributes.filter((a) => !inheritedKeys.has(a.key)).map(rowFromAttribute),
    },
    inherited: c.attributes.filter((a) => inheritedKeys.has(a.key)),
  };
}

/** Categories a category may move under: every one except itself and its descendants (and too-deep ones). */
export function parentChoices<C extends CategoryLike>(tree: CategoryTree<C>, id: string, maxDepth = 5): C[] {
  const excluded = new Set<string>();
  if (id && tree.byId.has(id)) {
    const visit = (x: string) => {
      excluded.add(x);
      for (const k of tree.children.get(x) ?? []) visit(k.categoryId);
    };
    visit(id);
  }
  return tree.list.filter((c) => !excluded.has(c.categoryId) && c.level < maxDepth);
}

const CATEGORY_ID_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const ATTRIBUTE_KEY_RE = /^[a-z][a-z0-9_]{0,31}$/;

/** A category id as the server accepts it: lowercase dot-separated parts, e.g. steel.rebar (≤ 64 characters). */
export function validCategoryId(id: string): boolean {
  const t = id.trim();
  return t.length > 0 && t.length <= 64 && CATEGORY_ID_RE.test(t);
}

export function validAttributeKey(key: string): boolean {
  return ATTRIBUTE_KEY_RE.test(key.trim());
}

const PART: Record<string, string> = {
  key: "key",
  label_zh: "labelZh",
  label_en: "labelEn",
  kind: "kind",
  unit: "unit",
  prefix: "prefix",
  min: "min",
  max: "max",
  decimals: "decimals",
  max_length: "maxLength",
  required: "required",
  filterable: "filterable",
  shown_in_list: "shownInList",
};
const OPTION_PART: Record<string, string> = { value: "value", label_zh: "labelZh", label_en: "labelEn" };
const TOP: Record<string, string> = {
  category_id: "categoryId",
  id: "categoryId",
  parent_id: "parentId",
  name_zh: "nameZh",
  name_en: "nameEn",
  vat_rate: "vatRate",
  weight_bases: "weightBases",
};

/**
 * Form field for an UpsertCategory violation path: "category.category_id" → categoryId, "category.attributes[2].min"
 * → attributes[2].min, "category.attributes[2].options[0]" → that option's value, "category.attributes[2].options" →
 * the option list. Attribute indexes are those of the request, which carries the form's own attributes only. Null
 * when no field matches.
 */
export function categoryFieldName(path: string): (string | number)[] | null {
  let p = path.trim();
  if (p.startsWith("category.")) p = p.slice("category.".length);
  let m = /^attributes\[(\d+)\](?:\.options\[(\d+)\](?:\.(\w+))?|\.(\w+))?$/.exec(p);
  if (m) {
    const i = Number(m[1]);
    if (m[2] !== undefined) return ["attributes", i, "options", Number(m[2]), OPTION_PART[m[3] ?? "value"] ?? "value"];
    if (m[4] === "options") return ["attributes", i, "options"];
    return ["attributes", i, PART[m[4] ?? "key"] ?? "key"];
  }
  m = /^weight_bases(\[\d+\])?$/.exec(p);
  if (m) return ["weightBases"];
  const top = TOP[p];
  return top ? [top] : null;
}
