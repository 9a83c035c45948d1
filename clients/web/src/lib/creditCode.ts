// Unified social credit code (统一社会信用代码), GB 32100-2015.
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = "length" | "charset" | "check";

/** The check character for the first 17 characters, or null when a character is outside the charset. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31; // 31 → 0
  return CHARSET[check];
}

/** Returns null when the code is valid, otherwise what is wrong with it. */
export function validateCreditCode(raw: string): CreditCodeProblem | null {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return "length";
  for (const ch of code) if (CHARSET.indexOf(ch) < 0) return "charset";
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : "check";
}
