import type { Money } from "../gen/b2btrade/common/v1/types_pb";

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Formats a decimal amount string exactly (no floating point): "1234567.8" → "¥1,234,567.80". */
export function formatAmount(amount: string, currencyCode = "CNY"): string {
  const text = (amount ?? "").trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const negative = text.startsWith("-");
  const [intRaw, fracRaw = ""] = (negative ? text.slice(1) : text).split(".");
  const intPart = intRaw.replace(/^0+(?=\d)/, "");
  const frac = fracRaw.length >= 2 ? fracRaw : fracRaw.padEnd(2, "0");
  const symbol = currencyCode === "CNY" || currencyCode === "" ? "¥" : `${currencyCode} `;
  return `${negative ? "-" : ""}${symbol}${groupThousands(intPart)}.${frac}`;
}

export function formatMoney(m: Money | undefined | null): string {
  if (!m || !m.amount) return "—";
  return formatAmount(m.amount, m.currencyCode);
}

/** Normalises user input like "1,234.5" to a canonical 2-decimal CNY amount string, or null if invalid. */
export function normaliseAmountInput(input: string | number | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  const text = String(input).replace(/[,\s¥]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  const [i, f = ""] = text.split(".");
  return `${i.replace(/^0+(?=\d)/, "")}.${f.padEnd(2, "0")}`;
}
