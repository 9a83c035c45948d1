// Unit tests of the pure helpers (compiled to JS by `npm run test:unit` first).
import { test } from "node:test";
import assert from "node:assert/strict";
import { creditCodeCheckChar, validateCreditCode } from "../.unit/lib/creditCode.js";
import { formatAmount, normaliseAmountInput } from "../.unit/lib/money.js";
import { checkPassword } from "../.unit/lib/password.js";
import { protoPathToName } from "../.unit/lib/fieldPath.js";
import { loginAddressKinds, maskedOf, matchesMasked, mobileNumber } from "../.unit/lib/maskedContact.js";

const rules = (p, a) => Object.fromEntries(checkPassword(p, a).map((c) => [c.rule, c.ok]));

test("credit code: valid, wrong check char, length, charset, 31→0", () => {
  assert.equal(validateCreditCode("91350100M000100Y43"), null);
  assert.equal(creditCodeCheckChar("91350100M000100Y4"), "3");
  assert.equal(validateCreditCode("91350100M000100Y44"), "check");
  assert.equal(validateCreditCode("91350100M000100Y4"), "length");
  assert.equal(validateCreditCode("91350100M000100I43"), "charset");
  assert.equal(validateCreditCode("000000000000000000"), null);
});

test("money is formatted exactly as ¥1,234,567.89", () => {
  assert.equal(formatAmount("1234567.89"), "¥1,234,567.89");
  assert.equal(formatAmount("1234567.8"), "¥1,234,567.80");
  assert.equal(formatAmount("0"), "¥0.00");
  assert.equal(formatAmount("-12345"), "-¥12,345.00");
  assert.equal(formatAmount("99999999999999999999.99"), "¥99,999,999,999,999,999,999.99");
  assert.equal(normaliseAmountInput("1,234.5"), "1234.50");
  assert.equal(normaliseAmountInput("1.234"), null);
});

test("password rules", () => {
  assert.deepEqual(rules("abc"), { length: false, letter: true, digit: false, symbol: false, notAddress: true });
  assert.equal(rules("Ab!13812345678", "+8613812345678").notAddress, false);
  assert.equal(rules("X1!Buyer@Example.com", "buyer@example.com").notAddress, false);
  assert.deepEqual(rules("Bulk#Steel2026", "13812345678"), { length: true, letter: true, digit: true, symbol: true, notAddress: true });
});

test("proto field paths map to antd form names", () => {
  assert.deepEqual(protoPathToName("profile.bank_accounts[0].account_name", ["profile"]), ["bankAccounts", 0, "accountName"]);
  assert.deepEqual(protoPathToName("profile.bank_accounts.1.bank_name", ["profile"]), ["bankAccounts", 1, "bankName"]);
  assert.deepEqual(protoPathToName("display_name", []), ["displayName"]);
  assert.deepEqual(protoPathToName("profile", ["profile"]), []);
});

test("a typed login address must be the one behind the mask the server shows", () => {
  assert.deepEqual(loginAddressKinds({ maskedPhone: "138****5678", maskedEmail: "a***@example.com" }), ["phone", "email"]);
  assert.deepEqual(loginAddressKinds({ maskedPhone: "", maskedEmail: "a***@example.com" }), ["email"]);
  assert.deepEqual(loginAddressKinds(null), []);
  assert.equal(maskedOf({ maskedPhone: "138****5678", maskedEmail: "" }, "email"), "");

  assert.equal(mobileNumber("+86 138-1234-5678"), "13812345678");
  assert.equal(mobileNumber("008613812345678"), "13812345678");
  assert.equal(mobileNumber("8613812345678"), "13812345678");
  assert.equal(mobileNumber("12812345678"), null);

  assert.equal(matchesMasked("phone", "13812345678", "138****5678"), true);
  assert.equal(matchesMasked("phone", "+86 138 1234 5678", "138****5678"), true);
  assert.equal(matchesMasked("phone", "13912345678", "138****5678"), false, "other prefix");
  assert.equal(matchesMasked("phone", "13812345679", "138****5678"), false, "other suffix");
  assert.equal(matchesMasked("phone", "1381234567", "138****5678"), false, "too short");

  assert.equal(matchesMasked("email", " Alice@Example.com ", "a***@example.com"), true, "case and spaces as the server canonicalises");
  assert.equal(matchesMasked("email", "bob@example.com", "a***@example.com"), false, "other first letter");
  assert.equal(matchesMasked("email", "alice@example.org", "a***@example.com"), false, "other domain");
  assert.equal(matchesMasked("email", "@example.com", "a***@example.com"), false);
  assert.equal(matchesMasked("email", "alice@example.com", "***"), true, "a mask of another shape is not checked");
});

test("request ids: a retry of the same content keeps its id; changed content or an answer gets a new one", async () => {
  const { RequestIdFor } = await import("../.unit/lib/requestId.js");
  const ids = new RequestIdFor();
  const first = ids.idFor(["请确认到货日期", ""]);
  assert.match(first, /^[0-9a-f-]{36}$/);
  assert.equal(ids.idFor(["请确认到货日期", ""]), first);
  const edited = ids.idFor(["请确认到货日期，谢谢", ""]);
  assert.notEqual(edited, first);
  assert.equal(ids.idFor(["请确认到货日期，谢谢", ""]), edited);
  // bigint fields (protobuf int64, e.g. Timestamp.seconds) are compared, not a crash
  const withDate = ids.idFor([{ seconds: 1767225600n }]);
  assert.notEqual(withDate, edited);
  assert.notEqual(ids.idFor([{ seconds: 1767312000n }]), withDate);
  ids.next();
  assert.notEqual(ids.idFor([{ seconds: 1767312000n }]), withDate);
});
