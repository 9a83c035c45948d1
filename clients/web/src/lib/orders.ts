// Orders (下单 / 购物车 / 我的订单 / 订单管理 / 审批): the order form ↔ b2btrade.order.v1.OrderDetails, where a server field
// violation belongs on that form, what each role may do in each status, and the cart's "one seller per order" rule.
// Pure (structural types, enum values as numbers) so it is unit tested.
import { normaliseDecimalInput } from "./decimal.js";
import type { DateLike, DecimalLike, MoneyLike } from "./negotiation.js";
import { formatDateMessage, parseDateText } from "./negotiation.js";

/** b2btrade.order.v1.OrderStatus */
export const ORDER_STATUS = {
  PENDING_APPROVAL: 1,
  PENDING_CONFIRMATION: 2,
  CONFIRMED: 3,
  CONTRACT_EFFECTIVE: 4,
  REJECTED: 5,
  CANCELLED: 6,
  EXPIRED: 7,
} as const;
/** b2btrade.order.v1.FreightBearer */
export const FREIGHT_BEARER = { BUYER: 1, SELLER: 2, BUYER_COLLECTS: 3 } as const;
/** b2btrade.order.v1.OrderRole */
export const ORDER_ROLE = { BUYER: 1, SELLER: 2 } as const;

/** Status tabs of the order lists, in the order of the status machine. */
export const ORDER_STATUS_FILTERS = [
  ORDER_STATUS.PENDING_APPROVAL,
  ORDER_STATUS.PENDING_CONFIRMATION,
  ORDER_STATUS.CONFIRMED,
  ORDER_STATUS.CONTRACT_EFFECTIVE,
  ORDER_STATUS.REJECTED,
  ORDER_STATUS.CANCELLED,
  ORDER_STATUS.EXPIRED,
];

/** The 34 province-level divisions (省级行政区) as the delivery address's province. */
export const PROVINCES = [
  "北京市",
  "天津市",
  "上海市",
  "重庆市",
  "河北省",
  "山西省",
  "辽宁省",
  "吉林省",
  "黑龙江省",
  "江苏省",
  "浙江省",
  "安徽省",
  "福建省",
  "江西省",
  "山东省",
  "河南省",
  "湖北省",
  "湖南省",
  "广东省",
  "海南省",
  "四川省",
  "贵州省",
  "云南省",
  "陕西省",
  "甘肃省",
  "青海省",
  "台湾省",
  "内蒙古自治区",
  "广西壮族自治区",
  "西藏自治区",
  "宁夏回族自治区",
  "新疆维吾尔自治区",
  "香港特别行政区",
  "澳门特别行政区",
] as const;

/** The four municipalities: their city is the province itself. */
export const MUNICIPALITIES = ["北京市", "天津市", "上海市", "重庆市"];

// ---- the order form ----

export interface AddressValues {
  province?: string;
  city?: string;
  district?: string;
  street?: string;
  contactName?: string;
  contactPhone?: string;
}
export interface InvoiceValues {
  title?: string;
  taxNumber?: string;
  bankName?: string;
  bankAccount?: string;
  address?: string;
  phone?: string;
}
/** Values of the order form. The delivery date is "YYYY-MM-DD". */
export interface OrderFormValues {
  deliveryDate?: string;
  address?: AddressValues;
  transportMode?: number;
  freightBearer?: number;
  invoice?: InvoiceValues;
  remarks?: string;
}

/** The init shape of an OrderDetails message (pass it to create(OrderDetailsSchema, ...)). */
export interface OrderDetailsInit {
  deliveryDate?: DateLike;
  deliveryAddress: { province: string; city: string; district: string; street: string; contactName: string; contactPhone: string };
  transportMode: number;
  freightBearer: number;
  invoice: { title: string; taxNumber: string; bankName: string; bankAccount: string; address: string; phone: string };
  remarks: string;
}

const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v).trim());

/**
 * A mainland mobile as the order expects it (13800138000): registrations store phones as "+8613800138000", order
 * details take the national number or a landline. "+86" / "0086" before a mobile is dropped (with the mobile's
 * separators); anything else is kept as typed.
 */
export function nationalPhone(phone: string | undefined): string {
  const p = text(phone);
  const m = /^(?:\+86|0086)[\s-]*(1[3-9][\d\s-]*)$/.exec(p);
  return m ? m[1].replace(/[\s-]/g, "") : p;
}

/** The OrderDetails of the form's values; blanks stay empty (the server names what is missing). */
export function detailsFromValues(v: OrderFormValues): OrderDetailsInit {
  const a = v.address ?? {};
  const i = v.invoice ?? {};
  return {
    deliveryDate: parseDateText(v.deliveryDate),
    deliveryAddress: {
      province: text(a.province),
      city: text(a.city),
      district: text(a.district),
      street: text(a.street),
      contactName: text(a.contactName),
      contactPhone: nationalPhone(a.contactPhone).replace(/[\s-]/g, ""),
    },
    transportMode: v.transportMode ?? 0,
    freightBearer: v.freightBearer ?? 0,
    invoice: {
      title: text(i.title),
      taxNumber: text(i.taxNumber).toUpperCase(),
      bankName: text(i.bankName),
      bankAccount: text(i.bankAccount).replace(/\s/g, ""),
      address: text(i.address),
      phone: nationalPhone(i.phone),
    },
    remarks: text(v.remarks),
  };
}

/** The part of an enterprise's registration the invoice is prefilled from. */
export interface ProfileLike {
  legalName: string;
  unifiedSocialCreditCode: string;
  registeredAddress: string;
  contactPhone: string;
  bankAccounts: { bankName: string; branchName: string; accountNumber: string }[];
}

/** 增值税专用发票 details prefilled from the buyer's registration (the first bank account). */
export function invoiceFromProfile(p: ProfileLike | undefined): InvoiceValues {
  if (!p) return {};
  const bank = p.bankAccounts[0];
  return {
    title: p.legalName,
    taxNumber: p.unifiedSocialCreditCode,
    bankName: bank ? [bank.bankName, bank.branchName].filter(Boolean).join(" ") : "",
    bankAccount: bank?.accountNumber ?? "",
    address: p.registeredAddress,
    phone: nationalPhone(p.contactPhone),
  };
}

/** A province-level name found at the start of a free-text place ("上海市浦东新区 张江工地" → "上海市"), or "". */
export function provinceOf(place: string | undefined): string {
  const p = (place ?? "").trim();
  const full = PROVINCES.find((x) => p.startsWith(x));
  if (full) return full;
  // "上海浦东…" / "江苏苏州…": the short name without 省 / 市 / 自治区.
  const short = PROVINCES.find((x) => {
    const s = x.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, "");
    return s.length >= 2 && p.startsWith(s);
  });
  return short ?? "";
}

/** Form values prefilled from agreed terms: date, transport mode and the province of the agreed place. */
export function valuesFromAgreedTerms(terms: { deliveryDate?: DateLike; deliveryPlace: string; transportMode: number } | undefined): OrderFormValues {
  if (!terms) return {};
  const province = provinceOf(terms.deliveryPlace);
  return {
    deliveryDate: formatDateMessage(terms.deliveryDate) || undefined,
    transportMode: terms.transportMode || undefined,
    address: province ? { province, city: MUNICIPALITIES.includes(province) ? province : undefined } : {},
  };
}

const ADDRESS_NAMES: Record<string, string> = {
  province: "province",
  city: "city",
  district: "district",
  street: "street",
  contact_name: "contactName",
  contact_phone: "contactPhone",
};
const INVOICE_NAMES: Record<string, string> = {
  title: "title",
  tax_number: "taxNumber",
  bank_name: "bankName",
  bank_account: "bankAccount",
  address: "address",
  phone: "phone",
};
const DETAIL_NAMES: Record<string, string> = {
  delivery_date: "deliveryDate",
  transport_mode: "transportMode",
  freight_bearer: "freightBearer",
  remarks: "remarks",
};

/**
 * Where a server field violation of PreviewOrder / CreateOrder belongs on the order form:
 * "details.delivery_address.province" → ["address", "province"], "details.invoice.tax_number" → ["invoice",
 * "taxNumber"], "details.delivery_date" → ["deliveryDate"]. null when no field matches (shown above the form).
 */
export function orderFieldName(path: string): (string | number)[] | null {
  const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  if (parts[0] === "details") parts.shift();
  const [head, second] = parts;
  if (head in DETAIL_NAMES) return [DETAIL_NAMES[head]];
  if (head === "delivery_address") return second && second in ADDRESS_NAMES ? ["address", ADDRESS_NAMES[second]] : ["address", "street"];
  if (head === "invoice") return second && second in INVOICE_NAMES ? ["invoice", INVOICE_NAMES[second]] : ["invoice", "title"];
  return null;
}

// ---- what each role may do ----

export interface OrderActions {
  /** Buyer Admin: approve / reject an order above a purchaser's limit. */
  approve: boolean;
  /** Seller (Sales / Admin): confirm or reject. */
  confirm: boolean;
  /** Buyer (Purchaser / Admin): cancel before the seller confirmed. */
  cancel: boolean;
}

/** Roles of the caller in the order's two enterprises (b2btrade.enterprise.v1.MemberRole values). */
export interface OrderCaller {
  buyerRoles: number[];
  sellerRoles: number[];
}

const ADMIN = 1;
const PURCHASER = 2;
const SALES = 3;

/** True while the seller has not answered (the buyer may still cancel). */
export function isOpenOrder(status: number): boolean {
  return status === ORDER_STATUS.PENDING_APPROVAL || status === ORDER_STATUS.PENDING_CONFIRMATION;
}

/** The actions the caller has on an order in its status (the server checks the same rules). */
export function orderActions(status: number, caller: OrderCaller): OrderActions {
  const buyerAdmin = caller.buyerRoles.includes(ADMIN);
  const buyer = buyerAdmin || caller.buyerRoles.includes(PURCHASER);
  const seller = caller.sellerRoles.includes(ADMIN) || caller.sellerRoles.includes(SALES);
  return {
    approve: buyerAdmin && status === ORDER_STATUS.PENDING_APPROVAL,
    confirm: seller && status === ORDER_STATUS.PENDING_CONFIRMATION,
    cancel: buyer && isOpenOrder(status),
  };
}

/** The steps of the happy path, and how far an order got (for the status bar above the timeline). */
export const ORDER_STEPS = [ORDER_STATUS.PENDING_CONFIRMATION, ORDER_STATUS.CONFIRMED, ORDER_STATUS.CONTRACT_EFFECTIVE] as const;

/** Index into [placed, ...ORDER_STEPS] reached by `status`; -1 for an order that ended without a contract. */
export function orderStep(status: number): number {
  switch (status) {
    case ORDER_STATUS.PENDING_APPROVAL:
      return 0;
    case ORDER_STATUS.PENDING_CONFIRMATION:
      return 1;
    case ORDER_STATUS.CONFIRMED:
      return 2;
    case ORDER_STATUS.CONTRACT_EFFECTIVE:
      return 3;
    default:
      return -1;
  }
}

// ---- the cart ----

export interface CartItemLike {
  listingId: string;
  sellerEnterpriseId: string;
  quantityTonnes?: DecimalLike;
  problem: string;
}

export type CartSelectionProblem = "none" | "twoSellers" | "problem";

/** Why the selected cart lines cannot go to the order form together (one seller, no line with a problem), or null. */
export function cartSelectionProblem(items: CartItemLike[], selected: string[]): CartSelectionProblem | null {
  const chosen = items.filter((i) => selected.includes(i.listingId));
  if (chosen.length === 0) return "none";
  if (new Set(chosen.map((i) => i.sellerEnterpriseId)).size > 1) return "twoSellers";
  if (chosen.some((i) => i.problem)) return "problem";
  return null;
}

/** The order form's query string for cart lines: "lines=lst_a:12.5,lst_b:30". */
export function linesParam(items: { listingId: string; quantity: string }[]): string {
  return items.map((i) => `${i.listingId}:${i.quantity}`).join(",");
}

/** Parses linesParam back; lines that are not "id:quantity" with a valid 3-place quantity are dropped. */
export function parseLinesParam(param: string | null | undefined): { listingId: string; quantityTonnes: DecimalLike }[] {
  const out: { listingId: string; quantityTonnes: DecimalLike }[] = [];
  for (const part of (param ?? "").split(",")) {
    const m = /^([\w-]+):(.+)$/.exec(part.trim());
    if (!m) continue;
    const q = normaliseDecimalInput(m[2], 3);
    if (q && q !== "0" && !out.some((l) => l.listingId === m[1])) out.push({ listingId: m[1], quantityTonnes: { value: q } });
  }
  return out;
}

/** A fee breakdown item amount as signed text for display: discounts are negative already. */
export function isNegativeAmount(m: MoneyLike | undefined): boolean {
  return !!m?.amount && m.amount.trim().startsWith("-");
}
