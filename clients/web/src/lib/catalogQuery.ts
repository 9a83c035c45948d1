// The catalog search page's filter state, its URL query string and the SearchListings request built from it.
// Pure (no React, no generated code) so it is unit tested.
//
// Query string: cat=steel.rebar & q=沙钢 & a.grade=HRB400E & a.grade=HRB500E & n.diameter=12..25 & pmin=3000 & pmax=4000
//               & origin=… & city=… & sort=price_asc & pt=<token of page 2> & pt=<token of page 3> …

export type SortKey = "updated" | "price_asc" | "price_desc" | "stock";
export const SORT_KEYS: SortKey[] = ["updated", "price_asc", "price_desc", "stock"];

export interface NumberBounds {
  min: string;
  max: string;
}

export interface CatalogFilters {
  /** Category subtree; "" for all. */
  category: string;
  keyword: string;
  /** Selected values of enum attributes (OR within a key, AND across keys). */
  attrs: Record<string, string[]>;
  /** Inclusive bounds of number attributes; "" for open. */
  ranges: Record<string, NumberBounds>;
  /** Price per tonne bounds, CNY. */
  priceMin: string;
  priceMax: string;
  origins: string[];
  cities: string[];
  sort: SortKey;
  /** Page tokens of the pages after the first that were opened, in order; the last is the current page. */
  pages: string[];
}

export const EMPTY_FILTERS: CatalogFilters = {
  category: "",
  keyword: "",
  attrs: {},
  ranges: {},
  priceMin: "",
  priceMax: "",
  origins: [],
  cities: [],
  sort: "updated",
  pages: [],
};

const NUMBER_RE = /^-?\d+(\.\d+)?$/;
const AMOUNT_RE = /^\d+(\.\d{1,2})?$/;

function unique(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}

export function filtersFromParams(params: URLSearchParams): CatalogFilters {
  const attrs: Record<string, string[]> = {};
  const ranges: Record<string, NumberBounds> = {};
  for (const key of new Set(params.keys())) {
    if (key.startsWith("a.") && key.length > 2) {
      const values = unique(params.getAll(key));
      if (values.length) attrs[key.slice(2)] = values;
    } else if (key.startsWith("n.") && key.length > 2) {
      const raw = params.get(key) ?? "";
      const [min = "", max = ""] = raw.split("..");
      if (min.trim() || max.trim()) ranges[key.slice(2)] = { min: min.trim(), max: max.trim() };
    }
  }
  const sort = params.get("sort") as SortKey | null;
  return {
    category: (params.get("cat") ?? "").trim(),
    keyword: params.get("q") ?? "",
    attrs,
    ranges,
    priceMin: (params.get("pmin") ?? "").trim(),
    priceMax: (params.get("pmax") ?? "").trim(),
    origins: unique(params.getAll("origin")),
    cities: unique(params.getAll("city")),
    sort: sort && SORT_KEYS.includes(sort) ? sort : "updated",
    pages: params.getAll("pt").filter((t) => t.length > 0),
  };
}

/** The query string for a filter state: empty parts left out, keys in a stable order. */
export function filtersToParams(f: CatalogFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.category) p.set("cat", f.category);
  if (f.keyword.trim()) p.set("q", f.keyword);
  for (const key of Object.keys(f.attrs).sort()) for (const v of f.attrs[key]) p.append(`a.${key}`, v);
  for (const key of Object.keys(f.ranges).sort()) {
    const r = f.ranges[key];
    if (r.min.trim() || r.max.trim()) p.set(`n.${key}`, `${r.min.trim()}..${r.max.trim()}`);
  }
  if (f.priceMin.trim()) p.set("pmin", f.priceMin.trim());
  if (f.priceMax.trim()) p.set("pmax", f.priceMax.trim());
  for (const o of f.origins) p.append("origin", o);
  for (const c of f.cities) p.append("city", c);
  if (f.sort !== "updated") p.set("sort", f.sort);
  for (const t of f.pages) p.append("pt", t);
  return p;
}

/** A filter change: applies the patch and goes back to the first page. */
export function withFilters(f: CatalogFilters, patch: Partial<CatalogFilters>): CatalogFilters {
  return { ...f, ...patch, pages: [] };
}

/** Switches to another category: its attribute filters no longer apply, the rest stays. */
export function withCategory(f: CatalogFilters, category: string): CatalogFilters {
  return withFilters(f, { category, attrs: {}, ranges: {} });
}

export function toggleValue(list: string[], value: string, on: boolean): string[] {
  return on ? unique([...list, value]) : list.filter((v) => v !== value);
}

/** Sets one enum attribute's selected values (an empty list removes the filter). */
export function withAttribute(f: CatalogFilters, key: string, values: string[]): CatalogFilters {
  const attrs = { ...f.attrs };
  if (values.length) attrs[key] = values;
  else delete attrs[key];
  return withFilters(f, { attrs });
}

export function withRange(f: CatalogFilters, key: string, bounds: NumberBounds): CatalogFilters {
  const ranges = { ...f.ranges };
  if (bounds.min.trim() || bounds.max.trim()) ranges[key] = bounds;
  else delete ranges[key];
  return withFilters(f, { ranges });
}

/** True when a bound text can be sent ("" means open). */
export function validBound(text: string): boolean {
  return text.trim() === "" || NUMBER_RE.test(text.trim());
}

export function validPrice(text: string): boolean {
  const t = text.trim().replace(/,/g, "");
  return t === "" || AMOUNT_RE.test(t);
}

/** Number of active filters (category and sort not counted), for the "清除筛选" button. */
export function activeFilterCount(f: CatalogFilters): number {
  return (
    Object.values(f.attrs).reduce((n, v) => n + v.length, 0) +
    Object.keys(f.ranges).length +
    (f.priceMin ? 1 : 0) +
    (f.priceMax ? 1 : 0) +
    f.origins.length +
    f.cities.length +
    (f.keyword.trim() ? 1 : 0)
  );
}

/** The plain shape of a SearchListingsRequest (the page adds the sort enum). Invalid bounds are left out. */
export interface SearchRequestShape {
  categoryId: string;
  keyword: string;
  attributeFilters: { attributeKey: string; values: string[] }[];
  numberRanges: { attributeKey: string; min?: { value: string }; max?: { value: string } }[];
  priceMin?: { currencyCode: string; amount: string };
  priceMax?: { currencyCode: string; amount: string };
  origins: string[];
  warehouseCities: string[];
  pageSize: number;
  pageToken: string;
}

function money(text: string): { currencyCode: string; amount: string } | undefined {
  const t = text.trim().replace(/,/g, "");
  return t && AMOUNT_RE.test(t) ? { currencyCode: "CNY", amount: t } : undefined;
}

export function searchRequest(f: CatalogFilters, pageSize: number): SearchRequestShape {
  const numberRanges: SearchRequestShape["numberRanges"] = [];
  for (const key of Object.keys(f.ranges).sort()) {
    const { min, max } = f.ranges[key];
    const lo = min.trim() && NUMBER_RE.test(min.trim()) ? { value: min.trim() } : undefined;
    const hi = max.trim() && NUMBER_RE.test(max.trim()) ? { value: max.trim() } : undefined;
    if (lo || hi) numberRanges.push({ attributeKey: key, ...(lo ? { min: lo } : {}), ...(hi ? { max: hi } : {}) });
  }
  return {
    categoryId: f.category,
    keyword: f.keyword.trim(),
    attributeFilters: Object.keys(f.attrs)
      .sort()
      .filter((k) => f.attrs[k].length > 0)
      .map((k) => ({ attributeKey: k, values: [...f.attrs[k]] })),
    numberRanges,
    ...(money(f.priceMin) ? { priceMin: money(f.priceMin) } : {}),
    ...(money(f.priceMax) ? { priceMax: money(f.priceMax) } : {}),
    origins: [...f.origins],
    warehouseCities: [...f.cities],
    pageSize,
    pageToken: f.pages.length ? f.pages[f.pages.length - 1] : "",
  };
}

/** Facet key of the warehouse city. */
export const CITY_FACET_KEY = "warehouse_city";

/** Delay before reconnect attempt n (0-based) of a live stream: 1 s, 2 s, 4 s … capped at 30 s, with ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, Math.min(attempt, 15)));
  return Math.round(base * (0.8 + 0.4 * random()));
}
