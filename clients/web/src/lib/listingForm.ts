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

/** A volume tier row: unit-price listings give the tier's unit price, base price + extras listings a discount per tonne. */
export interface TierRow {
  minQuantity?: string;
  unitPrice?: string;
  discount?: string;
}

/** b2btrade.catalog.v1.DeliveryPriceBasis.DELIVERED (到货价): the price includes delivery to `delivered_to`. */
export const DELIVERED = 2;

export interface ListingFormValues {
  /** Cascader value: root … leaf category ids. */
  categoryPath: string[];
  name: string;
  /** ENUM / NUMBER / TEXT as text, RANGE as {from, to}. */
  attributes: Record<string, string | RangeValue | undefined>;
  brand?: string;
  /** The seller's own code (ERP SKU), optional. */
  sellerSku?: string;
  origin: string;
  warehouseCity: string;
  warehouseAddress: string;
  weightBasis?: number;
  deliveryPriceBasis?: number;
  /** Where a 到货价 price delivers to (only with DELIVERED). */
  deliveredTo?: string;
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

/** A PriceTier as sent: unit_price (unit-price listings) or discount_per_tonne (base price + extras), never both. */
export interface TierShape {
  minQuantityTonnes: { value: string };
  unitPrice?: MoneyShape;
  discountPerTonne?: MoneyShape;
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
  deliveredTo: string;
  unitPrice?: MoneyShape;
  basePrice?: MoneyShape;
  extras: { attributeKey: string; attributeValue: string; amount: MoneyShape }[];
  tiers: TierShape[];
  moqTonnes: { value: string };
  stockTonnes: { value: string };
  imageFileIds: string[];
  sellerSku: string;
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

/**
 * Tier rows as PriceTiers: with a unit price each tier gives its own unit price; with base price + extras the price
 * depends on the buyer's size and grade, so a tier gives a discount per tonne off the computed price (the server
 * refuses unit-price tiers there). Rows without any figure are left out; invalid text is passed on for the server
 * to name the field.
 */
export function tiersForSpec(rows: TierRow[], mode: PriceMode): TierShape[] {
  const base = mode === "base";
  return rows
    .filter((t) => (t.minQuantity ?? "").trim() || ((base ? t.discount : t.unitPrice) ?? "").trim())
    .map((t) => {
      const text = (base ? t.discount : t.unitPrice) ?? "";
      const money = cny(text) ?? { currencyCode: "CNY", amount: text.trim() };
      return base ? { minQuantityTonnes: { value: tonnes(t.minQuantity) }, discountPerTonne: money } : { minQuantityTonnes: { value: tonnes(t.minQuantity) }, unitPrice: money };
    });
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
    deliveredTo: v.deliveryPriceBasis === DELIVERED ? (v.deliveredTo ?? "").trim() : "",
    tiers: tiersForSpec(v.tiers ?? [], v.priceMode),
    moqTonnes: { value: tonnes(v.moq) },
    stockTonnes: { value: tonnes(v.stock) },
    imageFileIds: [...(v.imageFileIds ?? [])],
    sellerSku: (v.sellerSku ?? "").trim(),
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
    deliveredTo?: string;
    unitPrice?: MoneyShape;
    basePrice?: MoneyShape;
    extras: { attributeKey: string; attributeValue: string; amount?: MoneyShape }[];
    tiers: { minQuantityTonnes?: { value: string }; unitPrice?: MoneyShape; discountPerTonne?: MoneyShape }[];
    moqTonnes?: { value: string };
    stockTonnes?: { value: string };
    imageFileIds: string[];
    sellerSku?: string;
  };
}

/**
 * PriceTiers of a listing read back as form rows. Responses fill unit_price for discount tiers too (the price with
 * the listing's own attributes), so: base price + extras rows take the discount; unit-price rows take the unit price
 * (for a unit-price listing a discount tier's unit_price is exactly its price).
 */
export function tierRowsFromSpec(tiers: { minQuantityTonnes?: { value: string }; unitPrice?: MoneyShape; discountPerTonne?: MoneyShape }[], mode: PriceMode): TierRow[] {
  return tiers.map((t) =>
    mode === "base"
      ? { minQuantity: t.minQuantityTonnes?.value ?? "", discount: t.discountPerTonne?.amount ?? "" }
      : { minQuantity: t.minQuantityTonnes?.value ?? "", unitPrice: t.unitPrice?.amount ?? "" },
  );
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
    sellerSku: s?.sellerSku ?? "",
    origin: s?.origin ?? "",
    warehouseCity: s?.warehouseCity ?? "",
    warehouseAddress: s?.warehouseAddress ?? "",
    weightBasis: s?.weightBasis || undefined,
    deliveryPriceBasis: s?.deliveryPriceBasis || undefined,
    deliveredTo: s?.deliveredTo ?? "",
    priceMode: base ? "base" : "unit",
    unitPrice: s?.unitPrice?.amount ?? "",
    basePrice: s?.basePrice?.amount ?? "",
    extras: (s?.extras ?? []).map((e) => ({ attributeKey: e.attributeKey, attributeValue: e.attributeValue, amount: e.amount?.amount ?? "" })),
    tiers: tierRowsFromSpec(s?.tiers ?? [], base ? "base" : "unit"),
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
  delivered_to: "deliveredTo",
  "price_basis.delivered_to": "deliveredTo",
  seller_sku: "sellerSku",
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
  discount_per_tonne: "discount",
};

/**
 * Form field for a violation path of CreateListing / UpdateListing / UpdateListingStock, in the contract's form
 * ("spec.attributes.diameter", "spec.tiers[0].unit_price") or the listing rules' own ("attributes.diameter",
 * "pricing.tiers[0].min_tonnes", "warehouse.city", "price_basis.delivered_to"). A tier's price problem lands on the
 * figure the form shows in that pricing mode (unit price, or discount with base price + extras). Null when no field
 * matches.
 */
export function listingFieldName(path: string, mode: PriceMode = "unit"): (string | number)[] | null {
  let p = path.trim();
  if (p.startsWith("spec.")) p = p.slice(5);
  if (p === "attributes" || p === "spec") return null;
  let m = /^attributes\.(.+)$/.exec(p) ?? /^attributes\["?([^"\]]+)"?\]$/.exec(p);
  if (m) return m[1] === WEIGHT_BASIS_ATTRIBUTE ? ["weightBasis"] : ["attributes", m[1]];
  m = /^(?:pricing\.)?extras\[(\d+)\](?:\.(\w+))?$/.exec(p);
  if (m) return ["extras", Number(m[1]), EXTRA_PART[m[2] ?? "amount"] ?? "amount"];
  m = /^(?:pricing\.)?tiers\[(\d+)\](?:\.(\w+))?$/.exec(p);
  if (m) {
    const part = TIER_PART[m[2] ?? ""];
    return ["tiers", Number(m[1]), part === "minQuantity" ? part : mode === "base" ? "discount" : "unitPrice"];
  }
  m = /^image_file_ids\[\d+\]$/.exec(p);
  if (m) return ["imageFileIds"];
  const top = TOP[p];
  if (!top && p.startsWith("price_basis.")) return ["deliveryPriceBasis"];
  return top ? [top] : null;
}
