// Unit tests of the order and contract helpers: the order form ↔ OrderDetails, invoice prefill, province detection,
// where server violations land, what each role may do, the cart's one-seller rule, the signing-secret rules, who may
// sign, and the verification verdict.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  FREIGHT_BEARER,
  ORDER_STATUS,
  PROVINCES,
  cartSelectionProblem,
  detailsFromValues,
  invoiceFromProfile,
  linesParam,
  nationalPhone,
  orderActions,
  orderFieldName,
  orderStep,
  parseLinesParam,
  provinceOf,
  valuesFromAgreedTerms,
} from "../.unit/lib/orders.js";
import { CONTRACT_STATUS, groupHex, keyFingerprint, safeFileName, secretProblem, signableParties, toHex, verdict } from "../.unit/lib/contracts.js";

const ADMIN = 1;
const PURCHASER = 2;
const SALES = 3;
const SIGNATORY = 5;

test("the province list has the 34 province-level divisions, each once", () => {
  assert.equal(PROVINCES.length, 34);
  assert.equal(new Set(PROVINCES).size, 34);
  for (const p of ["北京市", "上海市", "江苏省", "内蒙古自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区", "台湾省"]) assert.ok(PROVINCES.includes(p), p);
});

test("detailsFromValues trims, upper-cases the tax number, strips phone separators and keeps blanks empty", () => {
  const d = detailsFromValues({
    deliveryDate: "2026-12-20",
    address: { province: "江苏省", city: " 苏州市 ", district: "吴中区", street: " 东方大道 1 号 ", contactName: "王工", contactPhone: "138-0013 8000" },
    transportMode: 1,
    freightBearer: FREIGHT_BEARER.BUYER,
    invoice: { title: "上海建工物资有限公司", taxNumber: "91310000mA1fl0x12k", bankName: "工行", bankAccount: "6222 0000 1111", address: "上海", phone: "021-5555" },
    remarks: "  ",
  });
  assert.deepEqual(d.deliveryDate, { year: 2026, month: 12, day: 20 });
  assert.deepEqual(d.deliveryAddress, { province: "江苏省", city: "苏州市", district: "吴中区", street: "东方大道 1 号", contactName: "王工", contactPhone: "13800138000" });
  assert.equal(d.invoice.taxNumber, "91310000MA1FL0X12K");
  assert.equal(d.invoice.bankAccount, "622200001111");
  assert.equal(d.invoice.phone, "021-5555", "a landline keeps its dash on the invoice");
  assert.equal(d.remarks, "");
  assert.equal(d.freightBearer, 1);
  const empty = detailsFromValues({});
  assert.equal(empty.deliveryDate, undefined);
  assert.equal(empty.transportMode, 0);
  assert.equal(empty.deliveryAddress.province, "");
});

test("the invoice is prefilled from the buyer's registration and first bank account", () => {
  const inv = invoiceFromProfile({
    legalName: "上海建工物资采购有限公司",
    unifiedSocialCreditCode: "91310000MA1FL0X12K",
    registeredAddress: "上海市浦东新区世纪大道 100 号",
    contactPhone: "+8613800138000",
    bankAccounts: [
      { bankName: "中国工商银行", branchName: "上海分行营业部", accountNumber: "1001234509876543" },
      { bankName: "招商银行", branchName: "", accountNumber: "9" },
    ],
  });
  assert.deepEqual(inv, {
    title: "上海建工物资采购有限公司",
    taxNumber: "91310000MA1FL0X12K",
    bankName: "中国工商银行 上海分行营业部",
    bankAccount: "1001234509876543",
    address: "上海市浦东新区世纪大道 100 号",
    phone: "13800138000",
  }, "the registration's +86 phone becomes the national number the order accepts");
  assert.equal(invoiceFromProfile({ legalName: "甲", unifiedSocialCreditCode: "x", registeredAddress: "", contactPhone: "", bankAccounts: [] }).bankName, "");
  assert.deepEqual(invoiceFromProfile(undefined), {});
});

test("nationalPhone drops +86 / 0086 before a mobile and keeps landlines and other input as typed", () => {
  assert.equal(nationalPhone("+8613800138000"), "13800138000");
  assert.equal(nationalPhone(" 0086 138-0013-8000 "), "13800138000");
  assert.equal(nationalPhone("13800138000"), "13800138000");
  assert.equal(nationalPhone("021-58881234"), "021-58881234");
  assert.equal(nationalPhone("+85291234567"), "+85291234567", "not a mainland number: left for the server to refuse");
  assert.equal(nationalPhone("+8602158881234"), "+8602158881234", "only a mobile loses its prefix");
  assert.equal(nationalPhone(undefined), "");
  const d = detailsFromValues({ address: { contactPhone: "+86 138 0013 8000" }, invoice: { phone: "+8613900139000" } });
  assert.equal(d.deliveryAddress.contactPhone, "13800138000");
  assert.equal(d.invoice.phone, "13900139000");
});

test("the province is read from the start of an agreed delivery place, full or short name", () => {
  assert.equal(provinceOf("上海市浦东新区 张江工地"), "上海市");
  assert.equal(provinceOf("江苏苏州吴中区"), "江苏省");
  assert.equal(provinceOf("内蒙古包头"), "内蒙古自治区");
  assert.equal(provinceOf("广西南宁"), "广西壮族自治区");
  assert.equal(provinceOf("张江工地"), "");
  assert.equal(provinceOf(undefined), "");
});

test("agreed terms prefill the date, transport and province (a municipality is its own city)", () => {
  assert.deepEqual(valuesFromAgreedTerms({ deliveryDate: { year: 2026, month: 1, day: 5 }, deliveryPlace: "上海市浦东新区", transportMode: 2 }), {
    deliveryDate: "2026-01-05",
    transportMode: 2,
    address: { province: "上海市", city: "上海市" },
  });
  assert.deepEqual(valuesFromAgreedTerms({ deliveryPlace: "江苏省苏州市", transportMode: 0 }), {
    deliveryDate: undefined,
    transportMode: undefined,
    address: { province: "江苏省", city: undefined },
  });
  assert.deepEqual(valuesFromAgreedTerms(undefined), {});
});

test("server field violations land on the order form fields", () => {
  assert.deepEqual(orderFieldName("details.delivery_address.province"), ["address", "province"]);
  assert.deepEqual(orderFieldName("details.delivery_address.contact_phone"), ["address", "contactPhone"]);
  assert.deepEqual(orderFieldName("details.delivery_address"), ["address", "street"]);
  assert.deepEqual(orderFieldName("details.invoice.tax_number"), ["invoice", "taxNumber"]);
  assert.deepEqual(orderFieldName("details.invoice.bank_account"), ["invoice", "bankAccount"]);
  assert.deepEqual(orderFieldName("details.delivery_date"), ["deliveryDate"]);
  assert.deepEqual(orderFieldName("details.transport_mode"), ["transportMode"]);
  assert.deepEqual(orderFieldName("details.remarks"), ["remarks"]);
  assert.equal(orderFieldName("expected_total"), null);
  assert.equal(orderFieldName("source.lines[0].quantity_tonnes"), null);
  assert.equal(orderFieldName("request_id"), null);
});

test("each role gets the actions its status allows", () => {
  const none = { approve: false, confirm: false, cancel: false };
  const buyerAdmin = { buyerRoles: [ADMIN], sellerRoles: [] };
  const purchaser = { buyerRoles: [PURCHASER], sellerRoles: [] };
  const sales = { buyerRoles: [], sellerRoles: [SALES] };
  const signatoryOnly = { buyerRoles: [SIGNATORY], sellerRoles: [SIGNATORY] };
  assert.deepEqual(orderActions(ORDER_STATUS.PENDING_APPROVAL, buyerAdmin), { approve: true, confirm: false, cancel: true });
  assert.deepEqual(orderActions(ORDER_STATUS.PENDING_APPROVAL, purchaser), { approve: false, confirm: false, cancel: true });
  assert.deepEqual(orderActions(ORDER_STATUS.PENDING_APPROVAL, sales), none, "the seller does not see approvals");
  assert.deepEqual(orderActions(ORDER_STATUS.PENDING_CONFIRMATION, sales), { approve: false, confirm: true, cancel: false });
  assert.deepEqual(orderActions(ORDER_STATUS.PENDING_CONFIRMATION, purchaser), { approve: false, confirm: false, cancel: true });
  assert.deepEqual(orderActions(ORDER_STATUS.PENDING_CONFIRMATION, { buyerRoles: [], sellerRoles: [ADMIN] }).confirm, true);
  for (const s of [ORDER_STATUS.CONFIRMED, ORDER_STATUS.CONTRACT_EFFECTIVE, ORDER_STATUS.REJECTED, ORDER_STATUS.CANCELLED, ORDER_STATUS.EXPIRED]) {
    assert.deepEqual(orderActions(s, { buyerRoles: [ADMIN], sellerRoles: [ADMIN] }), none, `nothing after ${s}`);
  }
  assert.deepEqual(orderActions(ORDER_STATUS.PENDING_CONFIRMATION, signatoryOnly), none);
});

test("the status bar step follows the order; an order that ended without a contract is -1", () => {
  assert.equal(orderStep(ORDER_STATUS.PENDING_APPROVAL), 0);
  assert.equal(orderStep(ORDER_STATUS.PENDING_CONFIRMATION), 1);
  assert.equal(orderStep(ORDER_STATUS.CONFIRMED), 2);
  assert.equal(orderStep(ORDER_STATUS.CONTRACT_EFFECTIVE), 3);
  assert.equal(orderStep(ORDER_STATUS.REJECTED), -1);
  assert.equal(orderStep(ORDER_STATUS.EXPIRED), -1);
});

test("cart lines go to one order only when they are of one seller and without problems", () => {
  const items = [
    { listingId: "lst_a", sellerEnterpriseId: "ent_1", problem: "" },
    { listingId: "lst_b", sellerEnterpriseId: "ent_1", problem: "" },
    { listingId: "lst_c", sellerEnterpriseId: "ent_2", problem: "" },
    { listingId: "lst_d", sellerEnterpriseId: "ent_1", problem: "BELOW_MIN_ORDER" },
  ];
  assert.equal(cartSelectionProblem(items, []), "none");
  assert.equal(cartSelectionProblem(items, ["lst_a", "lst_b"]), null);
  assert.equal(cartSelectionProblem(items, ["lst_a", "lst_c"]), "twoSellers");
  assert.equal(cartSelectionProblem(items, ["lst_a", "lst_d"]), "problem");
  assert.equal(cartSelectionProblem(items, ["lst_gone"]), "none");
});

test("cart lines travel to the order form in the query string and back", () => {
  const text = linesParam([
    { listingId: "lst_a", quantity: "12.5" },
    { listingId: "lst_b", quantity: "30" },
  ]);
  assert.equal(text, "lst_a:12.5,lst_b:30");
  assert.deepEqual(parseLinesParam(text), [
    { listingId: "lst_a", quantityTonnes: { value: "12.5" } },
    { listingId: "lst_b", quantityTonnes: { value: "30" } },
  ]);
  // Malformed, zero, over 3 places and repeated listings are dropped.
  assert.deepEqual(parseLinesParam("lst_a:0,lst_b:1.2345,junk,lst_c:7.000,lst_c:8"), [{ listingId: "lst_c", quantityTonnes: { value: "7" } }]);
  assert.deepEqual(parseLinesParam(null), []);
});

test("a signing secret needs 8–128 characters typed the same twice", () => {
  assert.equal(secretProblem("short7!", "short7!"), "tooShort");
  assert.equal(secretProblem("签署密码很安全吗", "签署密码很安全吗"), null, "8 CJK characters are enough");
  assert.equal(secretProblem("x".repeat(129), "x".repeat(129)), "tooLong");
  assert.equal(secretProblem("Sign#2026ok", "Sign#2026oK"), "mismatch");
  assert.equal(secretProblem("Sign#2026ok", "Sign#2026ok"), null);
});

test("hashes and keys are shown in groups", () => {
  assert.equal(toHex(new Uint8Array([0, 15, 255])), "000fff");
  assert.equal(groupHex("ABCDEF0123456789ab"), "abcdef01 23456789 ab");
  assert.equal(keyFingerprint(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), "0304 0506 0708 090a");
});

test("a signatory may sign for each party where they hold the role and that has not signed", () => {
  const c = { status: CONTRACT_STATUS.PENDING_SIGNATURES, buyer: { enterpriseId: "ent_b" }, seller: { enterpriseId: "ent_s" }, signatures: [] };
  const roles = { ent_b: [PURCHASER, SIGNATORY], ent_s: [SALES] };
  const rolesOf = (id) => roles[id] ?? [];
  assert.deepEqual(signableParties(c, rolesOf), ["ent_b"]);
  assert.deepEqual(signableParties({ ...c, signatures: [{ enterpriseId: "ent_b", buyerSide: true }] }, rolesOf), [], "already signed");
  assert.deepEqual(signableParties(c, () => [ADMIN, PURCHASER]), [], "an Admin without the Signatory role cannot sign");
  assert.deepEqual(signableParties(c, () => [SIGNATORY]), ["ent_b", "ent_s"]);
  assert.deepEqual(signableParties({ ...c, status: CONTRACT_STATUS.EFFECTIVE }, () => [SIGNATORY]), []);
});

test("the verification verdict puts tampering first, then a failing signature", () => {
  const ok = { signatureValid: true, timestampValid: true, keyBelongsToSigner: true };
  assert.equal(verdict({ valid: true, documentTampered: false, fullySigned: true, signatures: [ok, ok] }), "valid");
  assert.equal(verdict({ valid: false, documentTampered: true, fullySigned: true, signatures: [{ ...ok, signatureValid: false }] }), "tampered");
  assert.equal(verdict({ valid: false, documentTampered: false, fullySigned: false, signatures: [ok, { ...ok, timestampValid: false }] }), "invalidSignature");
  assert.equal(verdict({ valid: false, documentTampered: false, fullySigned: false, signatures: [ok] }), "unsigned");
  assert.equal(verdict({ valid: false, documentTampered: false, fullySigned: false, signatures: [] }), "unsigned");
});

test("download names keep CJK and drop path characters", () => {
  assert.equal(safeFileName("B2B-20261206-000123.pdf", "x.pdf"), "B2B-20261206-000123.pdf");
  assert.equal(safeFileName("../合同:1.pdf", "x.pdf"), ".._合同_1.pdf");
  assert.equal(safeFileName("  ", "x.pdf"), "x.pdf");
});
