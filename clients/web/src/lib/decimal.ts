// Exact decimal text helpers for quantities (tonnes, 3 places) and prices (CNY, 2 places). No floating point:
// values stay strings and are compared or added as scaled BigInts.

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** True for canonical-ish decimal text: optional minus, digits, optional point and fraction digits. */
export function isDecimal(text: string | undefined | null): boolean {
  return DECIMAL_RE.test((text ?? "").trim());
}

/**
 * Normalises user input ("1,234.5", " 25 ") to decimal text with at most maxDecimals fraction digits and no padding,
 * or null when it is not such a number. Negative input only with allowNegative.
 */
export function normaliseDecimalInput(input: string | number | null | undefined, maxDecimals: number, allowNegative = false): string | null {
  if (input === null || input === undefined) return null;
  const text = String(input).replace(/[,\s]/g, "");
  const re = maxDecimals > 0 ? new RegExp(`^(-?)(\\d+)(?:\\.(\\d{1,${maxDecimals}}))?$`) : /^(-?)(\d+)()$/;
  const m = re.exec(text);
  if (!m) return null;
  const [, sign, intRaw, frac = ""] = m;
  if (sign && !allowNegative) return null;
  const intPart = intRaw.replace(/^0+(?=\d)/, "");
  const fracPart = frac.replace(/0+$/, "");
  const body = fracPart ? `${intPart}.${fracPart}` : intPart;
  return sign && body !== "0" ? `-${body}` : body;
}

function scaled(text: string, scale: number): bigint {
  const t = text.trim();
  const negative = t.startsWith("-");
  const [i, f = ""] = (negative ? t.slice(1) : t).split(".");
  const v = BigInt(i + f.padEnd(scale, "0").slice(0, scale));
  return negative ? -v : v;
}

function scaleOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** -1, 0 or 1 as a < b, a = b, a > b (exact). Both must be decimal text. */
export function compareDecimal(a: string, b: string): number {
  const scale = Math.max(scaleOf(a.trim()), scaleOf(b.trim()));
  const x = scaled(a, scale);
  const y = scaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Same number regardless of padding ("25.500" and "25.5"); false when either is not a number. */
export function sameDecimal(a: string | undefined, b: string | undefined): boolean {
  if (!isDecimal(a) || !isDecimal(b)) return (a ?? "") === (b ?? "");
  return compareDecimal(a!, b!) === 0;
}

/** Exact sum of decimal texts with at least `places` fraction digits (price breakdown lines → "3630.00"). */
export function sumDecimals(values: string[], places = 2): string {
  const valid = values.map((v) => v.trim()).filter((v) => DECIMAL_RE.test(v));
  const scale = Math.max(places, ...valid.map(scaleOf));
  const total = valid.reduce((acc, v) => acc + scaled(v, scale), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const intPart = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale);
  while (frac.length > places && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${negative ? "-" : ""}${intPart}${frac ? "." + frac : ""}`;
}

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "1234.5" → "1,234.500" (tonnes are shown with 3 places); other text is returned as given. */
export function formatTonnes(value: string | undefined | null): string {
  const text = (value ?? "").trim();
  if (!DECIMAL_RE.test(text)) return text || "—";
  const negative = text.startsWith("-");
  const [i, f = ""] = (negative ? text.slice(1) : text).split(".");
  const frac = f.length >= 3 ? f : f.padEnd(3, "0");
  return `${negative ? "-" : ""}${groupThousands(i.replace(/^0+(?=\d)/, ""))}.${frac}`;
}
