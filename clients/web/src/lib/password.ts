export type PasswordRule = "length" | "letter" | "digit" | "symbol" | "notAddress";

export interface PasswordCheck {
  rule: PasswordRule;
  ok: boolean;
}

function addressVariants(address: string | undefined): string[] {
  const a = (address ?? "").trim().toLowerCase();
  if (!a) return [];
  const out = [a];
  const digits = a.replace(/\D/g, "");
  if (/^(\+?86)?1\d{10}$/.test(a.replace(/[\s-]/g, ""))) {
    const local = digits.length === 13 ? digits.slice(2) : digits;
    out.push(local);
  }
  return out;
}

/** Password rules of the platform: 8–128 characters, letters, digits and symbols, not containing the phone/email. */
export function checkPassword(password: string | undefined, address?: string): PasswordCheck[] {
  const p = password ?? "";
  const lower = p.toLowerCase();
  const variants = addressVariants(address);
  return [
    { rule: "length", ok: p.length >= 8 && p.length <= 128 },
    { rule: "letter", ok: /\p{L}/u.test(p) },
    { rule: "digit", ok: /\p{Nd}/u.test(p) },
    { rule: "symbol", ok: /[^\p{L}\p{Nd}\s]/u.test(p) },
    { rule: "notAddress", ok: p.length > 0 && !variants.some((v) => v.length > 0 && lower.includes(v)) },
  ];
}

export function passwordOk(password: string | undefined, address?: string): boolean {
  return checkPassword(password, address).every((c) => c.ok);
}
