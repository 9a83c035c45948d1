// Electronic contracts (合同): statuses, who may sign, the signing-secret rules, hashes and keys as shown on the page,
// and the verification verdict. Pure (structural types, enum values as numbers) so it is unit tested.

/** b2btrade.contract.v1.ContractStatus */
export const CONTRACT_STATUS = { PENDING_SIGNATURES: 1, PARTIALLY_SIGNED: 2, EFFECTIVE: 3 } as const;
/** b2btrade.contract.v1.DocumentFormat */
export const DOCUMENT_FORMAT = { PDF: 1, HTML: 2 } as const;

/** The signing secret: 8–128 characters (never the login password, never stored by the platform). */
export const MIN_SECRET = 8;
export const MAX_SECRET = 128;

export type SecretProblem = "tooShort" | "tooLong" | "mismatch";

/** Why a new signing secret (typed twice at enrolment) is not acceptable, or null. */
export function secretProblem(secret: string, repeat: string): SecretProblem | null {
  const n = [...secret].length;
  if (n < MIN_SECRET) return "tooShort";
  if (n > MAX_SECRET) return "tooLong";
  if (secret !== repeat) return "mismatch";
  return null;
}

/** Bytes as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A SHA-256 hex in groups of 8 for reading aloud ("3f2a9c1e 77b0…"). */
export function groupHex(hex: string, size = 8): string {
  const h = (hex ?? "").trim().toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < h.length; i += size) out.push(h.slice(i, i + size));
  return out.join(" ");
}

/** A short public-key tag as shown next to the key id: the last 16 hex characters of its DER bytes, grouped by 4. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return groupHex(toHex(publicKey).slice(-16), 4);
}

export interface SignatureLike {
  enterpriseId: string;
  buyerSide: boolean;
}

export interface PartyLike {
  enterpriseId: string;
}

export interface ContractLike {
  status: number;
  buyer?: PartyLike;
  seller?: PartyLike;
  signatures: SignatureLike[];
}

/** Whether the party `enterpriseId` has signed. */
export function hasSigned(c: ContractLike, enterpriseId: string): boolean {
  return c.signatures.some((s) => s.enterpriseId === enterpriseId);
}

const SIGNATORY = 5;

/**
 * The parties the caller may sign for now: an enterprise of the contract in which the caller holds the Signatory role
 * and which has not signed yet. `rolesOf(enterpriseId)` gives the caller's roles there (empty when not a member).
 * (The amount limit is checked by the server, which names it.)
 */
export function signableParties(c: ContractLike, rolesOf: (enterpriseId: string) => number[]): string[] {
  if (c.status === CONTRACT_STATUS.EFFECTIVE) return [];
  return [c.buyer?.enterpriseId, c.seller?.enterpriseId]
    .filter((id): id is string => !!id)
    .filter((id, i, all) => all.indexOf(id) === i)
    .filter((id) => rolesOf(id).includes(SIGNATORY) && !hasSigned(c, id));
}

export interface SignatureCheckLike {
  signatureValid: boolean;
  timestampValid: boolean;
  keyBelongsToSigner: boolean;
}

/** One signature passes when its signature, its timestamp and its key all check out. */
export function signaturePasses(c: SignatureCheckLike): boolean {
  return c.signatureValid && c.timestampValid && c.keyBelongsToSigner;
}

export type Verdict = "valid" | "tampered" | "invalidSignature" | "unsigned";

/** The headline of a verification: tampering first, then a failing signature, then "not (fully) signed yet". */
export function verdict(r: { valid: boolean; documentTampered: boolean; fullySigned: boolean; signatures: SignatureCheckLike[] }): Verdict {
  if (r.documentTampered) return "tampered";
  if (r.signatures.some((s) => !signaturePasses(s))) return "invalidSignature";
  if (r.valid && r.fullySigned) return "valid";
  return "unsigned";
}

/** A download file name that is safe on every platform (keeps CJK letters, drops path and control characters). */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = (name ?? "").replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_").trim();
  return cleaned || fallback;
}
