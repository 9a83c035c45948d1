import { useEffect, useRef, useState } from "react";
import { App, Button, Card, Checkbox, Col, Form, Input, Row, Space, Spin } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { useNavigate, useParams } from "react-router";
import { enterpriseClient } from "../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { FormError } from "../components/FormError";
import { LicenceUpload } from "../components/LicenceUpload";
import { PageHeader } from "../components/PageHeader";
import { validateCreditCode } from "../lib/creditCode";
import { newRequestId } from "../lib/uuid";
import { EnterpriseProfileSchema, type Enterprise, type EnterpriseProfile } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { useI18n, type MsgKey } from "../i18n";

interface BankRow {
  bankName: string;
  branchName: string;
  accountName: string;
  accountNumber: string;
}

interface Values {
  legalName: string;
  unifiedSocialCreditCode: string;
  legalRepresentative: string;
  registeredAddress: string;
  contactName: string;
  contactPhone: string;
  businessLicenceFileId: string;
  bankAccounts: BankRow[];
  isBuyer: boolean;
  isSeller: boolean;
  isFinancialInstitution: boolean;
}

const KNOWN = [
  "legalName",
  "unifiedSocialCreditCode",
  "legalRepresentative",
  "registeredAddress",
  "contactName",
  "contactPhone",
  "businessLicenceFileId",
  "bankAccounts",
  "isBuyer",
  "isSeller",
  "isFinancialInstitution",
];

function toValues(p: EnterpriseProfile | undefined): Partial<Values> {
  if (!p) return {};
  return {
    legalName: p.legalName,
    unifiedSocialCreditCode: p.unifiedSocialCreditCode,
    legalRepresentative: p.legalRepresentative,
    registeredAddress: p.registeredAddress,
    contactName: p.contactName,
    contactPhone: p.contactPhone,
    businessLicenceFileId: p.businessLicenceFileId,
    bankAccounts: p.bankAccounts.map((b) => ({ bankName: b.bankName, branchName: b.branchName, accountName: b.accountName, accountNumber: b.accountNumber })),
    isBuyer: p.isBuyer,
    isSeller: p.isSeller,
    isFinancialInstitution: p.isFinancialInstitution,
  };
}

function toProfile(v: Values): EnterpriseProfile {
  return create(EnterpriseProfileSchema, {
    legalName: v.legalName.trim(),
    unifiedSocialCreditCode: v.unifiedSocialCreditCode.trim().toUpperCase(),
    legalRepresentative: v.legalRepresentative.trim(),
    registeredAddress: v.registeredAddress.trim(),
    contactName: v.contactName.trim(),
    contactPhone: v.contactPhone.trim(),
    businessLicenceFileId: v.businessLicenceFileId ?? "",
    bankAccounts: (v.bankAccounts ?? []).map((b) => ({
      bankName: b.bankName.trim(),
      branchName: (b.branchName ?? "").trim(),
      accountName: b.accountName.trim(),
      accountNumber: b.accountNumber.replace(/\s/g, ""),
    })),
    isBuyer: !!v.isBuyer,
    isSeller: !!v.isSeller,
    isFinancialInstitution: !!v.isFinancialInstitution,
  });
}

/** /enterprises/new and /enterprises/:id/edit */
export default function EnterpriseFormPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id } = useParams();
  const editing = !!id;
  const [form] = Form.useForm<Values>();
  const [loading, setLoading] = useState(editing);
  const [busy, setBusy] = useState<"" | "save" | "submit">("");
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const [etag, setEtag] = useState("");
  const requestId = useRef(newRequestId());

  const fill = (e: Enterprise) => {
    form.setFieldsValue(toValues(e.profile) as Values);
    setEtag(e.etag);
  };

  useEffect(() => {
    if (!id) return;
    enterpriseClient
      .getEnterprise({ enterpriseId: id })
      .then((r) => r.enterprise && fill(r.enterprise))
      .catch((e) => setError(parseError(e)))
      .finally(() => setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  const req = (key: MsgKey) => ({ required: true, whitespace: true, message: t("common.required", { field: t(key) }) });

  const save = async (andSubmit: boolean) => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(andSubmit ? "submit" : "save");
    setError(null);
    setUnmapped([]);
    try {
      let ent: Enterprise | undefined;
      if (editing && id) {
        const res = await enterpriseClient.updateEnterprise({ enterpriseId: id, profile: toProfile(v), etag });
        ent = res.enterprise;
      } else {
        const res = await enterpriseClient.createEnterprise({ requestId: requestId.current, profile: toProfile(v) });
        ent = res.enterprise;
        requestId.current = newRequestId();
      }
      if (!ent) throw new Error("no enterprise in response");
      if (andSubmit) {
        await enterpriseClient.submitEnterpriseVerification({ enterpriseId: ent.enterpriseId });
        message.success(t("ent.submitted"));
      } else {
        message.success(editing ? t("ent.updated") : t("ent.created"));
      }
      navigate(`/enterprises/${ent.enterpriseId}`, { replace: true });
    } catch (e) {
      const err = parseError(e);
      // A retry of the same attempt (network trouble) reuses the request id; anything else gets a fresh one.
      if (![Code.Unavailable, Code.DeadlineExceeded, Code.Unknown].includes(err.code)) requestId.current = newRequestId();
      if (err.code === Code.Aborted && editing && id) {
        message.warning(t("ent.stale"));
        const r = await enterpriseClient.getEnterprise({ enterpriseId: id }).catch(() => null);
        if (r?.enterprise) setEtag(r.enterprise.etag);
      }
      setError(err);
      setUnmapped(applyFieldErrors(form, err, { strip: ["profile"], known: KNOWN }));
    } finally {
      setBusy("");
    }
  };

  if (loading) return <Spin style={{ display: "block", margin: 80 }} />;

  return (
    <>
      <PageHeader title={editing ? t("ent.edit") : t("ent.create")} back={editing ? `/enterprises/${id}` : "/enterprises"} />
      <Form<Values>
        form={form}
        name="enterprise"
        layout="vertical"
        initialValues={{ bankAccounts: [], isBuyer: true, isSeller: false, isFinancialInstitution: false }}
        scrollToFirstError
      >
        <FormError error={error} unmapped={unmapped} />
        <Card title={t("ent.tabProfile")} className="section-card">
          <Row gutter={24}>
            <Col xs={24} md={12}>
              <Form.Item name="legalName" label={t("ent.legalName")} rules={[req("ent.legalName"), { min: 2, max: 100 }]}>
                <Input data-testid="ent-legal-name" placeholder={t("ent.legalNamePlaceholder")} maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="unifiedSocialCreditCode"
                label={t("ent.creditCode")}
                normalize={(v: string) => (v ?? "").toUpperCase().replace(/\s/g, "")}
                rules={[
                  req("ent.creditCode"),
                  {
                    validator: (_, v: string) => {
                      if (!v) return Promise.resolve();
                      const p = validateCreditCode(v);
                      return p ? Promise.reject(new Error(t(`ent.creditCode.${p}` as MsgKey))) : Promise.resolve();
                    },
                  },
                ]}
              >
                <Input data-testid="ent-credit-code" placeholder={t("ent.creditCodePlaceholder")} maxLength={18} className="mono" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="legalRepresentative" label={t("ent.legalRep")} rules={[req("ent.legalRep"), { max: 64 }]}>
                <Input data-testid="ent-legal-rep" maxLength={64} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="registeredAddress" label={t("ent.address")} rules={[req("ent.address"), { max: 200 }]}>
                <Input data-testid="ent-address" maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="contactName" label={t("ent.contactName")} rules={[req("ent.contactName"), { max: 64 }]}>
                <Input data-testid="ent-contact-name" maxLength={64} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="contactPhone" label={t("ent.contactPhone")} rules={[req("ent.contactPhone"), { pattern: /^[\d+\-\s()]{7,20}$/, message: t("auth.phoneInvalid") }]}>
                <Input data-testid="ent-contact-phone" maxLength={20} placeholder="13812345678 / 021-12345678" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="businessLicenceFileId" label={t("ent.licence")} rules={[{ required: true, message: t("ent.licenceRequired") }]}>
                <LicenceUpload enterpriseId={id} onError={(m) => message.error(m)} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item label={t("ent.businessType")} required>
                <Space size="large">
                  <Form.Item name="isBuyer" valuePropName="checked" noStyle>
                    <Checkbox data-testid="ent-is-buyer">{t("ent.isBuyer")}</Checkbox>
                  </Form.Item>
                  <Form.Item name="isSeller" valuePropName="checked" noStyle>
                    <Checkbox data-testid="ent-is-seller">{t("ent.isSeller")}</Checkbox>
                  </Form.Item>
                  <Form.Item name="isFinancialInstitution" valuePropName="checked" noStyle>
                    <Checkbox data-testid="ent-is-fi">{t("ent.isFinancial")}</Checkbox>
                  </Form.Item>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t("ent.bankAccounts")} className="section-card">
          <Form.List name="bankAccounts">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row gutter={12} key={f.key} align="top" className="bank-row" data-testid="bank-row">
                    <Col xs={24} md={5}>
                      <Form.Item name={[f.name, "bankName"]} label={t("ent.bankName")} rules={[req("ent.bankName")]}>
                        <Input placeholder="中国工商银行" maxLength={64} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={5}>
                      <Form.Item name={[f.name, "branchName"]} label={t("ent.branchName")}>
                        <Input placeholder="上海分行营业部" maxLength={64} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={6}>
                      <Form.Item
                        name={[f.name, "accountName"]}
                        label={t("ent.accountName")}
                        dependencies={["legalName"]}
                        rules={[
                          req("ent.accountName"),
                          ({ getFieldValue }) => ({
                            validator: (_, v: string) =>
                              !v || v.trim() === (getFieldValue("legalName") ?? "").trim() ? Promise.resolve() : Promise.reject(new Error(t("ent.accountNameMismatch"))),
                          }),
                        ]}
                      >
                        <Input maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col xs={22} md={7}>
                      <Form.Item
                        name={[f.name, "accountNumber"]}
                        label={t("ent.accountNumber")}
                        normalize={(v: string) => (v ?? "").replace(/[^\d]/g, "")}
                        rules={[req("ent.accountNumber"), { pattern: /^\d{8,32}$/, message: t("ent.accountNumberInvalid") }]}
                      >
                        <Input className="mono" maxLength={32} inputMode="numeric" />
                      </Form.Item>
                    </Col>
                    <Col xs={2} md={1}>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} style={{ marginTop: 30 }} aria-label={t("common.delete")} />
                    </Col>
                  </Row>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  data-testid="bank-add"
                  onClick={() => add({ bankName: "", branchName: "", accountName: form.getFieldValue("legalName") ?? "", accountNumber: "" })}
                >
                  {t("ent.addBank")}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <div className="form-actions">
          <Button onClick={() => navigate(-1)}>{t("common.cancel")}</Button>
          <Button onClick={() => save(false)} loading={busy === "save"} disabled={!!busy} data-testid="enterprise-save">
            {t("ent.saveDraft")}
          </Button>
          <Button type="primary" onClick={() => save(true)} loading={busy === "submit"} disabled={!!busy} data-testid="enterprise-save-submit">
            {t("ent.saveAndSubmit")}
          </Button>
        </div>
      </Form>
    </>
  );
}
