// The signed-in user's login addresses as the server shows them (masked: "138****5678", "a***@example.com"), and
// whether an address the user types is the one behind a mask. The full address is never sent to the browser, so a code
// for it (e.g. to replace a forgotten signing secret) needs the user to type it; this catches a typo before sending.
// Pure, so it is unit tested.

export type LoginAddressKind = "phone" | "email";

export interface MaskedContacts {
  maskedPhone: string;
  maskedEmail: string;
}

/** The kinds of login address the user has, phone first. */
export function loginAddressKinds(user: MaskedContacts | null | undefined): LoginAddressKind[] {
  if (!user) return [];
  const kinds: LoginAddressKind[] = [];
  if (user.maskedPhone) kinds.push("phone");
  if (user.maskedEmail) kinds.push("email");
  return kinds;
}

/** The masked value of one kind ("" when the user has none). */
export function maskedOf(user: MaskedContacts | null | undefined, kind: LoginAddressKind): string {
  return (kind === "phone" ? user?.maskedPhone : user?.maskedEmail) ?? "";
}

/** The 11-digit national number of a typed mainland mobile ("+86 138-1234-5678" → "13812345678"), or null (as the server parses it). */
export function mobileNumber(raw: string): string | null {
  let digits = (raw ?? "").trim().replace(/[\s-]/g, "");
  if (digits.startsWith("+86")) digits = digits.slice(3);
  else if (digits.startsWith("0086")) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith("86")) digits = digits.slice(2);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/**
 * Whether `typed` can be the address shown as `masked`: a phone keeps its first 3 and last 4 digits ("138****5678"),
 * an email its first character and its domain ("a***@example.com"). A mask of another shape cannot be checked (true).
 */
export function matchesMasked(kind: LoginAddressKind, typed: string, masked: string): boolean {
  if (kind === "phone") {
    const national = mobileNumber(typed);
    if (!national) return false;
    const m = /^(\d{3})\*+(\d{4})$/.exec(masked.trim());
    return !m || (national.startsWith(m[1]) && national.endsWith(m[2]));
  }
  const email = (typed ?? "").trim().toLowerCase();
  const at = email.indexOf("@");
  if (at < 1) return false;
  const m = /^(.)\*+(@.+)$/.exec(masked.trim().toLowerCase());
  return !m || (email[0] === m[1] && email.slice(at) === m[2]);
}
