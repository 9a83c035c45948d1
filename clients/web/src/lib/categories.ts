// The category tree of ListCategories (parents before children) and how attribute values read.
// Pure: structural types that the generated Category / AttributeDefinition satisfy, so it is unit tested.

/** b2btrade.catalog.v1.AttributeKind values. */
export const KIND = { ENUM: 1, NUMBER: 2, RANGE: 3, TEXT: 4 } as const;
/** b2btrade.catalog.v1.WeightBasis values. */
export const WEIGHT_BASIS = { THEORETICAL: 1, WEIGHED: 2 } as const;

export interface OptionLike {
  value: string;
  labelZh: string;
  labelEn: string;
}

export interface AttributeLike {
  key: string;
  labelZh: string;
  labelEn: string;
  kind: number;
  options: OptionLike[];
  unit: string;
  min?: { value: string };
  max?: { value: string };
  decimals: number;
  maxLength: number;
  required: boolean;
  filterable: boolean;
  shownInList: boolean;
  /** Written before NUMBER / RANGE values in key specs, e.g. "Φ". */
  prefix?: string;
}

export interface CategoryLike {
  categoryId: string;
  parentId: string;
  nameZh: string;
  nameEn: string;
  level: number;
  sortOrder: number;
  attributes: AttributeLike[];
  weightBases: number[];
}

export interface CategoryTree<C extends CategoryLike = CategoryLike> {
  list: C[];
  byId: Map<string, C>;
  children: Map<string, C[]>;
  roots: C[];
  /** Version of the whole tree as ListCategories gave it; UpsertCategory refuses an edit made on an older one. */
  etag?: string;
}

/** Builds the tree; siblings in sort order. A category whose parent is unknown is treated as a root. */
export function buildTree<C extends CategoryLike>(list: C[]): CategoryTree<C> {
  const byId = new Map(list.map((c) => [c.categoryId, c]));
  const children = new Map<string, C[]>();
  const roots: C[] = [];
  for (const c of list) {
    if (c.parentId && byId.has(c.parentId)) {
      const siblings = children.get(c.parentId) ?? [];
      siblings.push(c);
      children.set(c.parentId, siblings);
    } else {
      roots.push(c);
    }
  }
  const order = (a: C, b: C) => a.sortOrder - b.sortOrder;
  roots.sort(order);
  for (const s of children.values()) s.sort(order);
  return { list, byId, children, roots };
}

export function isLeaf(tree: CategoryTree, id: string): boolean {
  return tree.byId.has(id) && !(tree.children.get(id)?.length);
}

/** Root first, the category itself last; empty when unknown. */
export function pathTo<C extends CategoryLike>(tree: CategoryTree<C>, id: string): C[] {
  const path: C[] = [];
  let c = tree.byId.get(id);
  const seen = new Set<string>();
  while (c && !seen.has(c.categoryId)) {
    seen.add(c.categoryId);
    path.unshift(c);
    c = c.parentId ? tree.byId.get(c.parentId) : undefined;
  }
  return path;
}

/** Leaves of the subtree at id (the category itself when it is a leaf). */
export function leavesUnder<C extends CategoryLike>(tree: CategoryTree<C>, id: string): C[] {
  const out: C[] = [];
  const visit = (c: C) => {
    const kids = tree.children.get(c.categoryId) ?? [];
    if (kids.length === 0) out.push(c);
    else kids.forEach(visit);
  };
  const start = tree.byId.get(id);
  if (start) visit(start);
  return out;
}

export function isZh(lang: string): boolean {
  return lang.toLowerCase().startsWith("zh");
}

export function categoryName(c: { nameZh: string; nameEn: string } | undefined, lang: string): string {
  if (!c) return "";
  return isZh(lang) ? c.nameZh : c.nameEn || c.nameZh;
}

export function attributeLabel(a: { labelZh: string; labelEn: string }, lang: string): string {
  return isZh(lang) ? a.labelZh : a.labelEn || a.labelZh;
}

export function optionLabel(a: AttributeLike | undefined, value: string, lang: string): string {
  const o = a?.options.find((x) => x.value === value);
  if (!o) return value;
  return isZh(lang) ? o.labelZh || o.value : o.labelEn || o.labelZh || o.value;
}

/** "from-to" as ListingSpec.attributes carries a RANGE value. */
export function encodeRange(from: string, to: string): string {
  return `${from.trim()}-${to.trim()}`;
}

/** "9-12" → {from: "9", to: "12"}; a single number is a range of one value. */
export function decodeRange(value: string | undefined): { from: string; to: string } {
  const text = (value ?? "").trim();
  const m = /^(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)$/.exec(text);
  if (m) return { from: m[1], to: m[2] };
  return /^-?\d+(\.\d+)?$/.test(text) ? { from: text, to: text } : { from: "", to: "" };
}

/** An attribute value as a person reads it: the option label, a number with its unit, a range "9–12 m". */
export function formatAttributeValue(a: AttributeLike | undefined, value: string, lang: string): string {
  if (!a) return value;
  const unit = a.unit ? ` ${a.unit}` : "";
  switch (a.kind) {
    case KIND.ENUM:
      return optionLabel(a, value, lang);
    case KIND.NUMBER:
      return value ? `${value}${unit}` : "";
    case KIND.RANGE: {
      const r = decodeRange(value);
      if (!r.from) return value;
      return r.from === r.to ? `${r.from}${unit}` : `${r.from}–${r.to}${unit}`;
    }
    default:
      return value;
  }
}

/** Attributes a buyer filters by under this category: its effective schema's filterable ENUM and NUMBER ones. */
export function filterAttributes(tree: CategoryTree, categoryId: string): AttributeLike[] {
  const c = tree.byId.get(categoryId);
  if (!c) return [];
  return c.attributes.filter((a) => a.filterable && (a.kind === KIND.ENUM || a.kind === KIND.NUMBER));
}

/**
 * Enum attributes the server returned facets for under a non-leaf category (e.g. 材质 under 钢材) that the category's
 * own schema does not have: the first definition among its leaves, so the values get labels.
 */
export function facetOnlyAttributes(tree: CategoryTree, categoryId: string, facetKeys: string[]): AttributeLike[] {
  if (!categoryId || !tree.byId.has(categoryId)) return [];
  const own = new Set(tree.byId.get(categoryId)!.attributes.map((a) => a.key));
  const out: AttributeLike[] = [];
  const seen = new Set<string>();
  for (const leaf of leavesUnder(tree, categoryId)) {
    for (const a of leaf.attributes) {
      if (a.kind !== KIND.ENUM || !a.filterable || own.has(a.key) || seen.has(a.key) || !facetKeys.includes(a.key)) continue;
      seen.add(a.key);
      out.push(a);
    }
  }
  return out;
}

/** Weight bases a listing of this category may use; all when the server sends none. */
export function allowedWeightBases(c: CategoryLike | undefined): number[] {
  const bases = (c?.weightBases ?? []).filter((b) => b === WEIGHT_BASIS.THEORETICAL || b === WEIGHT_BASIS.WEIGHED);
  return bases.length ? bases : [WEIGHT_BASIS.THEORETICAL, WEIGHT_BASIS.WEIGHED];
}

export interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}

/** The tree as nested options (大类 → 二级 → 三级) for a cascader; leaves have no children. */
export function cascaderOptions(tree: CategoryTree, lang: string): CascaderOption[] {
  const build = (c: CategoryLike): CascaderOption => {
    const kids = tree.children.get(c.categoryId) ?? [];
    return kids.length ? { value: c.categoryId, label: categoryName(c, lang), children: kids.map(build) } : { value: c.categoryId, label: categoryName(c, lang) };
  };
  return tree.roots.map(build);
}
