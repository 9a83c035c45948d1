import { create } from "@bufbuild/protobuf";
import { ContactAddressSchema, type ContactAddress } from "../gen/b2btrade/common/v1/types_pb";

export const PHONE_RE = /^(\+?86)?1[3-9]\d{9}$/;
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type ContactKind = "phone" | "email";

export function contactAddress(kind: ContactKind, value: string): ContactAddress {
  const v = value.trim();
  return create(ContactAddressSchema, {
    kind: kind === "phone" ? { case: "phone", value: v.replace(/[\s-]/g, "") } : { case: "email", value: v.toLowerCase() },
  });
}
