// The listing create/edit form: its values, the ListingSpec sent for them, and where a server field violation
// belongs. Pure (structural types only) so it is unit tested.
import { decodeRange, encodeRange, KIND, type AttributeLike } from "./categories.js";
import { normaliseAmountInput } from "./money.js";

export type PriceMode = "unit" | "base";

export interface RangeValue {
  from?: string;
  to?: string;
}

export interface ExtraRow {
  attributeKey?: string;
  attributeValue?: string;
  amount?: string;
}

export interface TierRow {
  minQuantity?: string;
  unitPrice?: string;
}

export interface ListingFormValues {
  /** Cascader value: root … leaf category ids. */
  categoryPath: string[];
  name: string;
  /** ENUM / NUMBER / TEXT as text, RANGE as {from, to}. */
  attributes: Record<string, string | RangeValue | undefined>;
  brand?: string;
  origin: string;
  warehouseCity: string;
  warehouseAddress: string;
  weightBasis?: number;
  deliveryPriceBasis?: number;
  priceMode: PriceMode;
  unitPrice?: string;
  basePrice?: string;
  extras: ExtraRow[];
  tiers: TierRow[];
  moq: string;
  stock: string;
  imageFileIds: string[];
}

/** The schema attribute that mirrors the listing's weight basis (filled in by the server from weight_basis). */
export const WEIGHT_BASIS_ATTRIBUTE = "weight_basis";

interface MoneyShape {
  currencyCode: string;
  amount: string;
}

/** Plain ListingSpec (as the generated client accepts it). */
export interface ListingSpecShape {
  categoryId: string;
  name: string;
  attributes: Record<string, string>;
  brand: string;
  origin: string;
  warehouseCity: string;
  warehouseAddress: string;
  weightBasis: number;
  deliveryPriceBasis: number;
  unitPrice?: MoneyShape;
  basePrice?: MoneyShape;
  extras: { attributeKey: string; attributeValue: string; amount: MoneyShape }[];
  tiers: { minQuantityTonnes: { value: string }; unitPrice: MoneyShape }[];
  moqTonnes: { value: string };
  stockTonnes: { value: string };
  imageFileIds: string[];
}

function cny(text: string | undefined): MoneyShape | undefined {
  const amount = normaliseAmountInput(text ?? "");
  return amount ? { currencyCode: "CNY", amount } : undefined;
}

/** A signed amount (extras may lower the price): "-20" → "-20.00". */
export function normaliseSignedAmount(text: string | undefined): string | null {
  const t = (text ?? "").replace(/[,\s¥]/g, "");
  const negative = t.startsWith("-");
  const body = normaliseAmountInput(negative ? t.slice(1) : t);
  if (body === null) return null;
  return negative && !/^0\.00$/.test(body) ? `-${body}` : body;
}

function tonnes(text: string | undefined): string {
  return (text ?? "").replace(/[,\s]/g, "");
}

/** Attribute values as the spec carries them; empty ones and the weight-basis mirror are left out. */
export function attributesForSpec(schema: AttributeLike[], values: ListingFormValues["attributes"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of schema) {
    if (a.key === WEIGHT_BASIS_ATTRIBUTE) continue;
    const v = values?.[a.key];
    if (v === undefined || v === null) continue;
    if (a.kind === KIND.RANGE) {
      const r = typeof v === "string" ? decodeRange(v) : v;
      const from = (r.from ?? "").trim();
      const to = (r.to ?? "").trim();
      if (from || to) out[a.key] = encodeRange(from, to || from);
      continue;
    }
    const text = String(v).trim();
    if (text) out[a.key] = text;
  }
  return out;
}

export function specFromValues(v: ListingFormValues, schema: AttributeLike[]): ListingSpecShape {
  const base = v.priceMode === "base";
  const spec: ListingSpecShape = {
    categoryId: v.categoryPath?.[v.categoryPath.length - 1] ?? "",
    name: (v.name ?? "").trim(),
    attributes: attributesForSpec(schema, v.attributes ?? {}),
    brand: (v.brand ?? "").trim(),
    origin: (v.origin ?? "").trim(),
    warehouseCity: (v.warehouseCity ?? "").trim(),
    warehouseAddress: (v.warehouseAddress ?? "").trim(),
    weightBasis: v.weightBasis ?? 0,
    deliveryPriceBasis: v.deliveryPriceBasis ?? 0,
    extras: base
      ? (v.extras ?? [])
          .filter((e) => e.attributeKey && (e.attributeValue ?? "").trim())
          .map((e) => ({
            attributeKey: e.attributeKey!,
            attributeValue: (e.attributeValue ?? "").trim(),
            amount: { currencyCode: "CNY", amount: normaliseSignedAmount(e.amount) ?? (e.amount ?? "").trim() },
          }))
      : [],
    tiers: (v.tiers ?? [])
      .filter((t) => (t.minQuantity ?? "").trim() || (t.unitPrice ?? "").trim())
      .map((t) => ({
        minQuantityTonnes: { value: tonnes(t.minQuantity) },
        unitPrice: cny(t.unitPrice) ?? { currencyCode: "CNY", amount: (t.unitPrice ?? "").trim() },
      })),
    moqTonnes: { value: tonnes(v.moq) },
    stockTonnes: { value: tonnes(v.stock) },
    imageFileIds: [...(v.imageFileIds ?? [])],
  };
  const price = cny(base ? v.basePrice : v.unitPrice);
  if (base) {
    if (price) spec.basePrice = price;
  } else if (price) {
    spec.unitPrice = price;
  }
  return spec;
}

/** Structural Listing as the form needs it to fill itself (edit). */
export interface ListingLike {
  spec?: {
    categoryId: string;
    name: string;
    attributes: Record<string, string>;
    brand: string;
    origin: string;
    warehouseCity: string;
    warehouseAddress: string;
    weightBasis: number;
    deliveryPriceBasis: number;
    unitPrice?: MoneyShape;
    basePrice?: MoneyShape;
    extras: { attributeKey: string; attributeValue: string; amount?: MoneyShape }[];
    tiers: { minQuantityTonnes?: { value: string }; unitPrice?: MoneyShape }[];
    moqTonnes?: { value: string };
    stockTonnes?: { value: string };
    imageFileIds: string[];
  };
}

export function valuesFromListing(l: ListingLike, categoryPath: string[], schema: AttributeLike[]): ListingFormValues {
  const s = l.spec;
  const attributes: ListingFormValues["attributes"] = {};
  for (const a of schema) {
    if (a.key === WEIGHT_BASIS_ATTRIBUTE) continue;
    const v = s?.attributes?.[a.key];
    if (v === undefined) continue;
    attributes[a.key] = a.kind === KIND.RANGE ? decodeRange(v) : v;
  }
  const base = !!s?.basePrice?.amount && !s?.unitPrice?.amount;
  return {
    categoryPath,
    name: s?.name ?? "",
    attributes,
    brand: s?.brand ?? "",
    origin: s?.origin ?? "",
    warehouseCity: s?.warehouseCity ?? "",
    warehouseAddress: s?.warehouseAddress ?? "",
    weightBasis: s?.weightBasis || undefined,
    deliveryPriceBasis: s?.deliveryPriceBasis || undefined,
    priceMode: base ? "base" : "unit",
    unitPrice: s?.unitPrice?.amount ?? "",
    basePrice: s?.basePrice?.amount ?? "",
    extras: (s?.extras ?? []).map((e) => ({ attributeKey: e.attributeKey, attributeValue: e.attributeValue, amount: e.amount?.amount ?? "" })),
    tiers: base ? [] : (s?.tiers ?? []).map((t) => ({ minQuantity: t.minQuantityTonnes?.value ?? "", unitPrice: t.unitPrice?.amount ?? "" })),
    moq: s?.moqTonnes?.value ?? "",
    stock: s?.stockTonnes?.value ?? "",
    imageFileIds: [...(s?.imageFileIds ?? [])],
  };
}

const TOP: Record<string, string> = {
  name: "name",
  category_id: "categoryPath",
  brand: "brand",
  origin: "origin",
  warehouse_city: "warehouseCity",
  warehouse_address: "warehouseAddress",
  "warehouse.city": "warehouseCity",
  "warehouse.address": "warehouseAddress",
  warehouse: "warehouseAddress",
  weight_basis: "weightBasis",
  delivery_price_basis: "deliveryPriceBasis",
  price_basis: "deliveryPriceBasis",
  unit_price: "unitPrice",
  "pricing.unit_price": "unitPrice",
  base_price: "basePrice",
  "pricing.base_price": "basePrice",
  extras: "extras",
  "pricing.extras": "extras",
  moq_tonnes: "moq",
  min_order: "moq",
  stock_tonnes: "stock",
  image_file_ids: "imageFileIds",
};

const EXTRA_PART: Record<string, string> = { attribute_key: "attributeKey", attribute_value: "attributeValue", value: "attributeValue", amount: "amount" };
const TIER_PART: Record<string, string> = {
  min_quantity_tonnes: "minQuantity",
  min_tonnes: "minQuantity",
  unit_price: "unitPrice",
  discount_per_tonne: "unitPrice",
};

/**
 * Form field for a violation path of CreateListing / UpdateListing / UpdateListingStock, in the contract's form
 * ("spec.attributes.diameter", "spec.tiers[0].unit_price") or the listing rules' own ("attributes.diameter",
 * "pricing.tiers[0].min_tonnes", "warehouse.city", "price_basis.delivered_to"). Null when no field matches.
 */
export function listingFieldName(path: string): (string | number)[] | null {
  let p = path.trim();
  if (p.startsWith("spec.")) p = p.slice(5);
  if (p === "attributes" || p === "spec") return null;
  let m = /^attributes\.(.+)$/.exec(p) ?? /^attributes\["?([^"\]]+)"?\]$/.exec(p);
  if (m) return m[1] === WEIGHT_BASIS_ATTRIBUTE ? ["weightBasis"] : ["attributes", m[1]];
  m = /^(?:pricing\.)?extras\[(\d+)\](?:\.(\w+))?$/.exec(p);
  if (m) return ["extras", Number(m[1]), EXTRA_PART[m[2] ?? "amount"] ?? "amount"];
  m = /^(?:pricing\.)?tiers\[(\d+)\](?:\.(\w+))?$/.exec(p);
  if (m) return ["tiers", Number(m[1]), TIER_PART[m[2] ?? "unit_price"] ?? "unitPrice"];
  m = /^image_file_ids\[\d+\]$/.exec(p);
  if (m) return ["imageFileIds"];
  if (p.startsWith("price_basis.")) return ["deliveryPriceBasis"];
  const top = TOP[p];
  return top ? [top] : null;
}
