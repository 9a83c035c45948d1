import { Code, ConnectError } from "@connectrpc/connect";
import type { FormInstance } from "antd";
import { BadRequestSchema, ErrorInfoSchema, LocalizedMessageSchema } from "../gen/google/rpc/error_details_pb";
import { t } from "../i18n";
import { protoPathToName } from "../lib/fieldPath";

export { protoPathToName };

export interface FieldViolation {
  /** Proto path, e.g. "profile.legal_name" or "address.phone". */
  field: string;
  /** Already localized to the accept-language by the server. */
  description: string;
  reason: string;
}

export interface ApiError {
  code: Code;
  /** Best message for the user: google.rpc.LocalizedMessage, else the status message, else a generic one. */
  message: string;
  reason?: string;
  fieldViolations: FieldViolation[];
  retryAfterSeconds?: number;
}

export function parseError(e: unknown): ApiError {
  const err = ConnectError.from(e);
  const info = err.findDetails(ErrorInfoSchema)[0];
  const localized = err.findDetails(LocalizedMessageSchema)[0];
  const badRequests = err.findDetails(BadRequestSchema);
  const fieldViolations: FieldViolation[] = badRequests.flatMap((b) =>
    b.fieldViolations.map((v) => ({ field: v.field, description: v.localizedMessage?.message || v.description, reason: v.reason })),
  );
  const retry = info?.metadata?.["retry_after_seconds"];
  let message = localized?.message || err.rawMessage;
  if (!localized && (err.code === Code.Unavailable || err.code === Code.Unknown || err.code === Code.Internal)) {
    message = t(err.code === Code.Unavailable ? "error.unavailable" : "error.generic");
  }
  if (!localized && err.code === Code.Unauthenticated && /^HTTP \d+$/.test(message ?? "")) message = t("error.sessionExpired");
  if (!message) message = t("error.generic");
  return {
    code: err.code,
    message,
    reason: info?.reason,
    fieldViolations,
    retryAfterSeconds: retry !== undefined && /^\d+$/.test(retry) ? Number(retry) : undefined,
  };
}

export interface ApplyOptions {
  /** Proto path prefixes to drop, e.g. ["profile", "address"]. */
  strip?: string[];
  /** Explicit mapping from proto path to form name (wins over the generic conversion). */
  map?: Record<string, (string | number)[] | string>;
  /** Top-level form field names that exist; violations for others are returned as unmapped. */
  known: string[];
  /** Form name for a proto path when the generic conversion does not fit (null: no field); wins over strip. */
  resolve?: (field: string) => (string | number)[] | null;
}

/**
 * Puts the server's field violations next to the matching antd Form fields.
 * Returns the violations that match no field (show them in an alert).
 */
export function applyFieldErrors(form: FormInstance, error: ApiError, opts: ApplyOptions): FieldViolation[] {
  const unmapped: FieldViolation[] = [];
  const byName = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const v of error.fieldViolations) {
    const explicit = opts.map?.[v.field];
    const name =
      explicit !== undefined
        ? Array.isArray(explicit)
          ? explicit
          : [explicit]
        : opts.resolve
          ? (opts.resolve(v.field) ?? [])
          : protoPathToName(v.field, opts.strip ?? []);
    if (name.length === 0 || !opts.known.includes(String(name[0]))) {
      unmapped.push(v);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byName.get(key) ?? { name, errors: [] };
    entry.errors.push(v.description);
    byName.set(key, entry);
  }
  if (byName.size > 0) form.setFields([...byName.values()].map((e) => ({ name: e.name, errors: e.errors })));
  return unmapped;
}
