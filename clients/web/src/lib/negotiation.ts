// Inquiry, quotation and negotiation (询盘 / 报价 / 议价): the terms form ↔ b2btrade.negotiation.v1.Terms, where a
// server field violation belongs on that form, what each side may do in each status, chat message merging, the RFQ
// comparison and the display of totals and diffs. Pure (structural types, enum values as numbers) so it is unit tested.
import { compareDecimal, isDecimal, normaliseDecimalInput } from "./decimal.js";
import { normaliseAmountInput } from "./money.js";

/** b2btrade.negotiation.v1.Side */
export const SIDE = { BUYER: 1, SELLER: 2 } as const;
/** b2btrade.negotiation.v1.ThreadStatus */
export const STATUS = {
  AWAITING_QUOTE: 1,
  QUOTED: 2,
  COUNTERED: 3,
  ACCEPTED: 4,
  DECLINED: 5,
  WITHDRAWN: 6,
  EXPIRED: 7,
  CLOSED: 8,
} as const;
/** b2btrade.negotiation.v1.OfferKind */
export const KIND = { INQUIRY: 1, QUOTE: 2, COUNTER_OFFER: 3 } as const;
/** b2btrade.negotiation.v1.DeliveryBasis */
export const DELIVERY = { EX_WORKS: 1, DELIVERED: 2 } as const;
/** b2btrade.negotiation.v1.TransportMode */
export const TRANSPORT = { ROAD: 1, RAIL: 2, WATERWAY: 3, BUYER_PICKUP: 4, MULTIMODAL: 5 } as const;
/** b2btrade.negotiation.v1.ServiceKind */
export const SERVICE = { FREIGHT: 1, LOADING: 2, STORAGE: 3 } as const;
/** b2btrade.negotiation.v1.ChargeUnit */
export const CHARGE = { PER_TONNE: 1, LUMP_SUM: 2 } as const;
/** b2btrade.negotiation.v1.BalanceTiming */
export const BALANCE = { BEFORE_DELIVERY: 1, ON_DELIVERY: 2, AFTER_DELIVERY: 3 } as const;

export const TRANSPORT_VALUES = [TRANSPORT.ROAD, TRANSPORT.RAIL, TRANSPORT.WATERWAY, TRANSPORT.BUYER_PICKUP, TRANSPORT.MULTIMODAL];
export const SERVICE_VALUES = [SERVICE.FREIGHT, SERVICE.LOADING, SERVICE.STORAGE];
export const BALANCE_VALUES = [BALANCE.BEFORE_DELIVERY, BALANCE.ON_DELIVERY, BALANCE.AFTER_DELIVERY];

/** Deposit (定金) is at most 20 % of the total (Civil Code Art. 586). */
export const MAX_DEPOSIT_PERCENT = 20;
export const MAX_BALANCE_DAYS = 180;

// ---- structural shapes of the generated messages (read side) ----

export interface MoneyLike {
  currencyCode?: string;
  amount: string;
}
export interface DecimalLike {
  value: string;
}
export interface DateLike {
  year: number;
  month: number;
  day: number;
}
export interface TimestampLike {
  seconds: bigint;
  nanos: number;
}
export interface TermsLike {
  productName: string;
  attributes: Record<string, string>;
  quantityTonnes?: DecimalLike;
  unitPrice?: MoneyLike;
  taxIncluded: boolean;
  deliveryBasis: number;
  services: { kind: number; amount?: MoneyLike; unit: number }[];
  volumeDiscounts: { minQuantityTonnes?: DecimalLike; discountPerTonne?: MoneyLike }[];
  deliveryDate?: DateLike;
  deliveryPlace: string;
  transportMode: number;
  qualityStandard: string;
  payment?: { depositPercent?: DecimalLike; balanceTiming: number; balanceDays: number };
  validUntil?: TimestampLike;
  notes: string;
}
export interface TotalsLike {
  goodsAmount?: MoneyLike;
  discountAmount?: MoneyLike;
  servicesAmount?: MoneyLike;
  totalAmount?: MoneyLike;
  effectiveUnitPrice?: MoneyLike;
  depositAmount?: MoneyLike;
}
export interface OfferLike {
  version: number;
  kind: number;
  authorSide: number;
  terms?: TermsLike;
  totals?: TotalsLike;
  expired: boolean;
}
export interface ThreadLike {
  status: number;
  callerSide: number;
  openQuoteVersion: number;
  offers: OfferLike[];
}

// ---- dates ----

/** A Date message as "YYYY-MM-DD" ("" when absent or zero). */
export function formatDateMessage(d: DateLike | undefined | null): string {
  if (!d || !d.year) return "";
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

/** "YYYY-MM-DD" → a Date message, or undefined when the text is not such a date. */
export function parseDateText(text: string | undefined | null): DateLike | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((text ?? "").trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { year, month, day };
}

export function timestampToMs(ts: TimestampLike | undefined | null): number | undefined {
  if (!ts) return undefined;
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
}

export function msToTimestamp(ms: number): TimestampLike {
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

// ---- the terms form ----

export interface AttributeRow {
  key: string;
  /** Shown label (from the category schema), not sent. */
  label?: string;
  value?: string;
}
export interface ServiceRow {
  kind?: number;
  amount?: string;
  unit?: number;
}
export interface DiscountRow {
  minQuantity?: string;
  discount?: string;
}

/** Values of the inquiry / quote / counter-offer form. Dates are "YYYY-MM-DD", validUntil epoch milliseconds. */
export interface TermsFormValues {
  productName?: string;
  attributes?: AttributeRow[];
  quantity?: string;
  unitPrice?: string;
  taxIncluded?: boolean;
  deliveryBasis?: number;
  deliveryDate?: string;
  deliveryPlace?: string;
  transportMode?: number;
  qualityStandard?: string;
  depositPercent?: string;
  balanceTiming?: number;
  balanceDays?: string | number;
  services?: ServiceRow[];
  discounts?: DiscountRow[];
  validUntil?: number;
  notes?: string;
}

/** The init shape of a Terms message built from the form (pass it to create(TermsSchema, ...)). */
export interface TermsInit {
  productName: string;
  attributes: Record<string, string>;
  quantityTonnes?: DecimalLike;
  unitPrice?: MoneyLike;
  taxIncluded: boolean;
  deliveryBasis: number;
  services: { kind: number; amount: MoneyLike; unit: number }[];
  volumeDiscounts: { minQuantityTonnes: DecimalLike; discountPerTonne: MoneyLike }[];
  deliveryDate?: DateLike;
  deliveryPlace: string;
  transportMode: number;
  qualityStandard: string;
  payment?: { depositPercent?: DecimalLike; balanceTiming: number; balanceDays: number };
  validUntil?: TimestampLike;
  notes: string;
}

const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v).trim());

/** A money amount as the server wants it ("3650.00"); unparseable input is passed on as typed (the server names it). */
function money(v: string | undefined): MoneyLike | undefined {
  const raw = text(v);
  if (!raw) return undefined;
  return { currencyCode: "CNY", amount: normaliseAmountInput(raw) ?? raw.replace(/[,\s¥]/g, "") };
}

function decimal(v: string | number | undefined, places: number): DecimalLike | undefined {
  const raw = text(v);
  if (!raw) return undefined;
  return { value: normaliseDecimalInput(raw, places) ?? raw.replace(/[,\s]/g, "") };
}

/** The Terms of the form's values. Empty optional fields are left out (absent, not zero). */
export function termsFromValues(v: TermsFormValues): TermsInit {
  const attributes: Record<string, string> = {};
  for (const a of v.attributes ?? []) {
    const value = text(a.value);
    if (a.key && value) attributes[a.key] = value;
  }
  const balanceTiming = v.balanceTiming ?? 0;
  const deposit = decimal(v.depositPercent, 2);
  const payment =
    deposit || balanceTiming
      ? {
          depositPercent: deposit,
          balanceTiming,
          balanceDays: balanceTiming === BALANCE.AFTER_DELIVERY ? Number(text(v.balanceDays)) || 0 : 0,
        }
      : undefined;
  return {
    productName: text(v.productName),
    attributes,
    quantityTonnes: decimal(v.quantity, 3),
    unitPrice: money(v.unitPrice),
    taxIncluded: v.taxIncluded ?? true,
    deliveryBasis: v.deliveryBasis ?? 0,
    services: (v.services ?? [])
      .filter((s) => s && s.kind && text(s.amount))
      .map((s) => ({ kind: s.kind!, amount: money(s.amount)!, unit: s.unit ?? CHARGE.PER_TONNE })),
    volumeDiscounts: (v.discounts ?? [])
      .filter((d) => d && text(d.minQuantity) && text(d.discount))
      .map((d) => ({ minQuantityTonnes: decimal(d.minQuantity, 3)!, discountPerTonne: money(d.discount)! })),
    deliveryDate: parseDateText(v.deliveryDate),
    deliveryPlace: text(v.deliveryPlace),
    transportMode: v.transportMode ?? 0,
    qualityStandard: text(v.qualityStandard),
    payment,
    validUntil: v.validUntil ? msToTimestamp(v.validUntil) : undefined,
    notes: text(v.notes),
  };
}

/** Form values prefilled from a version's terms (counter-offer, revise, 接受还价). Attribute labels from `labels`. */
export function valuesFromTerms(t: TermsLike | undefined, labels: Record<string, string> = {}): TermsFormValues {
  if (!t) return { taxIncluded: true, attributes: [], services: [], discounts: [] };
  return {
    productName: t.productName,
    attributes: Object.entries(t.attributes ?? {}).map(([key, value]) => ({ key, value, label: labels[key] ?? key })),
    quantity: t.quantityTonnes?.value ?? "",
    unitPrice: t.unitPrice?.amount ?? "",
    taxIncluded: t.taxIncluded,
    deliveryBasis: t.deliveryBasis || undefined,
    deliveryDate: formatDateMessage(t.deliveryDate) || undefined,
    deliveryPlace: t.deliveryPlace,
    transportMode: t.transportMode || undefined,
    qualityStandard: t.qualityStandard,
    depositPercent: t.payment?.depositPercent?.value ?? "",
    balanceTiming: t.payment?.balanceTiming || undefined,
    balanceDays: t.payment?.balanceDays ? String(t.payment.balanceDays) : undefined,
    services: t.services.map((s) => ({ kind: s.kind || undefined, amount: s.amount?.amount ?? "", unit: s.unit || CHARGE.PER_TONNE })),
    discounts: t.volumeDiscounts.map((d) => ({ minQuantity: d.minQuantityTonnes?.value ?? "", discount: d.discountPerTonne?.amount ?? "" })),
    validUntil: timestampToMs(t.validUntil),
    notes: "",
  };
}

/** A quote needs a validity at least a minute ahead: keep the given one when it still is, else `defaultHours` from now. */
export function withQuoteValidity(v: TermsFormValues, nowMs: number, defaultHours = 24): TermsFormValues {
  const ok = v.validUntil !== undefined && v.validUntil > nowMs + 5 * 60_000;
  return { ...v, validUntil: ok ? v.validUntil : nowMs + defaultHours * 3_600_000 };
}

const FIELD_NAMES: Record<string, string> = {
  product_name: "productName",
  quantity_tonnes: "quantity",
  unit_price: "unitPrice",
  tax_included: "taxIncluded",
  delivery_basis: "deliveryBasis",
  delivery_date: "deliveryDate",
  delivery_place: "deliveryPlace",
  transport_mode: "transportMode",
  quality_standard: "qualityStandard",
  valid_until: "validUntil",
  notes: "notes",
};
const PAYMENT_NAMES: Record<string, string> = { deposit_percent: "depositPercent", balance_timing: "balanceTiming", balance_days: "balanceDays" };
const SERVICE_NAMES: Record<string, string> = { kind: "kind", amount: "amount", unit: "unit" };
const DISCOUNT_NAMES: Record<string, string> = { min_quantity_tonnes: "minQuantity", discount_per_tonne: "discount" };

/** "terms.services[1].amount.amount" → ["terms", "services", 1, "amount", "amount"]. */
function pathTokens(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split(".")) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part))) out.push(m[2] !== undefined ? Number(m[2]) : /^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
  }
  return out;
}

/**
 * Where a server field violation of a terms request belongs on the terms form: "terms.unit_price.amount" →
 * ["unitPrice"], "terms.services[1].amount" → ["services", 1, "amount"], "terms.attributes.grade" → ["attributes", i,
 * "value"] for the row of that key. null when no form field matches (shown above the form instead).
 */
export function termsFieldName(path: string, attributeKeys: string[] = []): (string | number)[] | null {
  const tokens = pathTokens(path);
  if (tokens[0] === "terms") tokens.shift();
  const [head, second, third] = tokens;
  if (typeof head !== "string") return null;
  if (head in FIELD_NAMES) return [FIELD_NAMES[head]];
  // A quote without payment terms is refused on "payment": the balance timing is what is missing.
  if (head === "payment") return typeof second === "string" && second in PAYMENT_NAMES ? [PAYMENT_NAMES[second]] : ["balanceTiming"];
  if (head === "services" && typeof second === "number") return ["services", second, typeof third === "string" && third in SERVICE_NAMES ? SERVICE_NAMES[third] : "amount"];
  if (head === "volume_discounts" && typeof second === "number")
    return ["discounts", second, typeof third === "string" && third in DISCOUNT_NAMES ? DISCOUNT_NAMES[third] : "discount"];
  if (head === "attributes" && typeof second === "string") {
    const i = attributeKeys.indexOf(second);
    return i >= 0 ? ["attributes", i, "value"] : null;
  }
  return null;
}

// ---- what each side may do ----

export interface ThreadActions {
  /** Buyer: accept the open quote. */
  accept: boolean;
  /** Buyer: counter-offer (还价), or revise the own counter. */
  counter: boolean;
  /** Buyer: decline and close. */
  decline: boolean;
  /** Seller: quote, or revise the open quote. */
  quote: boolean;
  /** Seller: answer the buyer's counter with a quote on the counter's terms (接受还价). */
  acceptCounter: boolean;
  /** Seller: withdraw the open quote. */
  withdraw: boolean;
}

const TERMINAL = new Set<number>([STATUS.ACCEPTED, STATUS.DECLINED, STATUS.CLOSED]);

export function isTerminal(status: number): boolean {
  return TERMINAL.has(status);
}

/** The actions the caller's side has in the thread's status (the server checks the same rules). */
export function threadActions(t: Pick<ThreadLike, "status" | "callerSide" | "openQuoteVersion">): ThreadActions {
  const none: ThreadActions = { accept: false, counter: false, decline: false, quote: false, acceptCounter: false, withdraw: false };
  const s = t.status;
  if (t.callerSide === SIDE.BUYER) {
    return {
      ...none,
      accept: s === STATUS.QUOTED && t.openQuoteVersion > 0,
      counter: s === STATUS.QUOTED || s === STATUS.COUNTERED || s === STATUS.WITHDRAWN || s === STATUS.EXPIRED,
      decline: !isTerminal(s) && s !== 0,
    };
  }
  if (t.callerSide === SIDE.SELLER) {
    return {
      ...none,
      quote: s === STATUS.AWAITING_QUOTE || s === STATUS.QUOTED || s === STATUS.COUNTERED || s === STATUS.WITHDRAWN || s === STATUS.EXPIRED,
      acceptCounter: s === STATUS.COUNTERED,
      withdraw: s === STATUS.QUOTED && t.openQuoteVersion > 0,
    };
  }
  return none;
}

/** The latest version, and the latest of a kind. */
export function latestOffer<T extends OfferLike>(offers: T[], kind?: number): T | undefined {
  for (let i = offers.length - 1; i >= 0; i--) if (kind === undefined || offers[i].kind === kind) return offers[i];
  return undefined;
}

/** The version the quote form starts from: 接受还价 → the counter; revise → the seller's last quote; else the latest. */
export function quoteBaseOffer<T extends OfferLike>(offers: T[], acceptCounter: boolean): T | undefined {
  if (acceptCounter) return latestOffer(offers, KIND.COUNTER_OFFER) ?? latestOffer(offers);
  return latestOffer(offers, KIND.QUOTE) ?? latestOffer(offers);
}

/** The default pair of the diff view: the latest version against the one before (null with a single version). */
export function defaultDiffPair(offers: { version: number }[]): [number, number] | null {
  if (offers.length < 2) return null;
  return [offers[offers.length - 2].version, offers[offers.length - 1].version];
}

// ---- totals ----

export type TotalsLineKey = "goods" | "discount" | "services" | "total" | "effective" | "deposit";

/** The lines of a totals box: goods, then discount and services only when not zero, the total, per tonne, deposit. */
export function totalsLines(t: TotalsLike | undefined): { key: TotalsLineKey; amount: MoneyLike }[] {
  if (!t) return [];
  const nonZero = (m: MoneyLike | undefined) => !!m && isDecimal(m.amount) && compareDecimal(m.amount, "0") !== 0;
  const out: { key: TotalsLineKey; amount: MoneyLike }[] = [];
  if (t.goodsAmount?.amount) out.push({ key: "goods", amount: t.goodsAmount });
  if (nonZero(t.discountAmount)) out.push({ key: "discount", amount: t.discountAmount! });
  if (nonZero(t.servicesAmount)) out.push({ key: "services", amount: t.servicesAmount! });
  if (t.totalAmount?.amount) out.push({ key: "total", amount: t.totalAmount });
  if (t.effectiveUnitPrice?.amount) out.push({ key: "effective", amount: t.effectiveUnitPrice });
  if (nonZero(t.depositAmount)) out.push({ key: "deposit", amount: t.depositAmount! });
  return out;
}

// ---- diffs ----

const DIFF_LABELS: Record<string, string> = {
  product_name: "neg.f.productName",
  quantity_tonnes: "neg.f.quantity",
  unit_price: "neg.f.unitPrice",
  tax_included: "neg.f.taxIncluded",
  delivery_basis: "neg.f.deliveryBasis",
  services: "neg.f.services",
  volume_discounts: "neg.f.discounts",
  delivery_date: "neg.f.deliveryDate",
  delivery_place: "neg.f.deliveryPlace",
  transport_mode: "neg.f.transportMode",
  quality_standard: "neg.f.qualityStandard",
  payment: "neg.f.payment",
  "payment.deposit_percent": "neg.f.depositPercent",
  "payment.balance_timing": "neg.f.balanceTiming",
  "payment.balance_days": "neg.f.balanceDays",
  valid_until: "neg.f.validUntil",
  notes: "neg.f.notes",
  "totals.goods_amount": "neg.totals.goods",
  "totals.discount_amount": "neg.totals.discount",
  "totals.services_amount": "neg.totals.services",
  "totals.total_amount": "neg.totals.total",
  "totals.effective_unit_price": "neg.totals.effective",
  "totals.deposit_amount": "neg.totals.deposit",
};

/**
 * How to label a changed field of DiffVersions: an i18n key ("neg.f.unitPrice"), or the attribute key of
 * "attributes.grade" (labelled from the category schema), with the index of "services[1]" style rows. Unknown paths
 * are returned as `raw` (shown as they are).
 */
export function diffFieldLabel(field: string): { key?: string; attribute?: string; index?: number; raw?: string } {
  const tokens = pathTokens(field);
  if (tokens[0] === "attributes" && typeof tokens[1] === "string") return { attribute: tokens[1] };
  const index = tokens.find((x) => typeof x === "number") as number | undefined;
  const names = tokens.filter((x) => typeof x === "string") as string[];
  for (let n = names.length; n > 0; n--) {
    const key = DIFF_LABELS[names.slice(0, n).join(".")];
    if (key) return { key, index };
  }
  return { raw: field };
}

// ---- chat ----

export interface MessageLike {
  sequence: bigint;
}

/** Messages by sequence, oldest first, each sequence once (a later copy replaces an earlier one). */
export function mergeMessages<T extends MessageLike>(current: T[], incoming: T[]): T[] {
  if (incoming.length === 0) return current;
  const bySeq = new Map<bigint, T>();
  for (const m of current) bySeq.set(m.sequence, m);
  for (const m of incoming) bySeq.set(m.sequence, m);
  return [...bySeq.values()].sort((a, b) => (a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0));
}

/** The highest sequence of the list (0n when empty). */
export function maxSequence(messages: MessageLike[]): bigint {
  return messages.reduce((m, x) => (x.sequence > m ? x.sequence : m), 0n);
}

/** The lowest sequence of the list (0n when empty): the before_sequence of the next history page. */
export function minSequence(messages: MessageLike[]): bigint {
  return messages.reduce((m, x) => (m === 0n || x.sequence < m ? x.sequence : m), 0n);
}

/** A message's attachment shown inline (an image) or as a download link. */
export function isInlineImage(contentType: string | undefined): boolean {
  return contentType === "image/png" || contentType === "image/jpeg";
}

/** Files FileService accepts (recognised by content; checked here by type and size first). */
export const ACCEPTED_FILE_TYPES = ["image/png", "image/jpeg", "application/pdf"];
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export function acceptableFile(f: { type: string; size: number }): boolean {
  return ACCEPTED_FILE_TYPES.includes(f.type) && f.size > 0 && f.size <= MAX_FILE_BYTES;
}

/** "12.5 KB" */
export function formatBytes(n: number | bigint): string {
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KB`;
  return `${(v / 1024 / 1024).toFixed(1)} MB`;
}

// ---- RFQ ----

export interface RfqRowLike {
  threadId: string;
  status: number;
  quote?: { totals?: TotalsLike; expired: boolean };
}

/** Threads whose current quote has the lowest total among the quotes that still stand (ties: all of them). */
export function lowestTotalThreads(rows: RfqRowLike[]): string[] {
  const standing = rows.filter(
    (r) => r.status === STATUS.QUOTED && r.quote && !r.quote.expired && isDecimal(r.quote.totals?.totalAmount?.amount),
  );
  if (standing.length === 0) return [];
  let best = standing[0].quote!.totals!.totalAmount!.amount;
  for (const r of standing) if (compareDecimal(r.quote!.totals!.totalAmount!.amount, best) < 0) best = r.quote!.totals!.totalAmount!.amount;
  return standing.filter((r) => compareDecimal(r.quote!.totals!.totalAmount!.amount, best) === 0).map((r) => r.threadId);
}

export interface RfqCartItem {
  listingId: string;
  name: string;
  sellerEnterpriseId: string;
  sellerName: string;
  categoryId: string;
}

export type RfqCartProblem = "tooFew" | "tooMany" | "sameSeller" | "ownListing";

/** Why the cart cannot be sent as one RFQ (2 to 20 listings of different sellers, none of the buyer's own), or null. */
export function rfqCartProblem(items: RfqCartItem[], buyerEnterpriseId: string): RfqCartProblem | null {
  if (items.length < 2) return "tooFew";
  if (items.length > 20) return "tooMany";
  if (buyerEnterpriseId && items.some((i) => i.sellerEnterpriseId === buyerEnterpriseId)) return "ownListing";
  if (new Set(items.map((i) => i.sellerEnterpriseId)).size !== items.length) return "sameSeller";
  return null;
}

/** Adds a listing to the cart (once; a second listing of the same seller replaces the first). */
export function addToCart(items: RfqCartItem[], item: RfqCartItem): RfqCartItem[] {
  return [...items.filter((i) => i.listingId !== item.listingId && i.sellerEnterpriseId !== item.sellerEnterpriseId), item];
}

// ---- which enterprises act on which side ----

/** b2btrade.enterprise.v1.MemberRole values that act in negotiations. */
export const ROLE = { ADMIN: 1, PURCHASER: 2, SALES: 3 } as const;

export interface EnterpriseLike {
  enterpriseId: string;
  myRoles: number[];
}

/** The caller's enterprises that may buy (Purchaser or Admin), except `excludeId` (the listing's seller). */
export function buyerEnterprises<E extends EnterpriseLike>(list: E[], excludeId = ""): E[] {
  return list.filter((e) => e.enterpriseId !== excludeId && (e.myRoles.includes(ROLE.PURCHASER) || e.myRoles.includes(ROLE.ADMIN)));
}

/** The caller's enterprises that may answer inquiries (Sales or Admin). */
export function sellerEnterprises<E extends EnterpriseLike>(list: E[]): E[] {
  return list.filter((e) => e.myRoles.includes(ROLE.SALES) || e.myRoles.includes(ROLE.ADMIN));
}
