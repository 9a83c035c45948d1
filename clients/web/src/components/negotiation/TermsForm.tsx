import { useEffect, useRef, useState } from "react";
import { Button, Checkbox, Col, DatePicker, Form, Input, Radio, Row, Select, Space, Spin, Tag, Typography, type FormInstance } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { negotiationClient } from "../../api/client";
import { parseError } from "../../api/errors";
import type { Totals } from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { compareDecimal, normaliseDecimalInput } from "../../lib/decimal";
import { normaliseAmountInput } from "../../lib/money";
import {
  BALANCE,
  BALANCE_VALUES,
  CHARGE,
  DELIVERY,
  MAX_BALANCE_DAYS,
  MAX_DEPOSIT_PERCENT,
  SERVICE_VALUES,
  TRANSPORT_VALUES,
  termsFromValues,
  type TermsFormValues,
} from "../../lib/negotiation";
import { useI18n } from "../../i18n";
import { BALANCE_KEYS, CHARGE_KEYS, SERVICE_KEYS, TRANSPORT_KEYS } from "./labels";
import { TotalsBox } from "./TermsView";

/** What the form is for: the buyer's inquiry or RFQ (target price optional), the seller's quote, the buyer's counter. */
export type TermsMode = "inquiry" | "quote" | "counter";

const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v, "YYYY-MM-DD") : undefined }),
  normalize: (d: Dayjs | null) => (d ? d.format("YYYY-MM-DD") : undefined),
};
const timeProps = {
  getValueProps: (v: number | undefined) => ({ value: v ? dayjs(v) : undefined }),
  normalize: (d: Dayjs | null) => (d ? d.valueOf() : undefined),
};

/**
 * The fields of Terms, for use inside an antd Form whose values are TermsFormValues. The specification attributes come
 * from the listing (or the version the form starts from) and are shown, not edited. Services and volume discounts are
 * offered on quotes and counter-offers; the validity is required on quotes.
 */
export function TermsFields({
  mode,
  form,
  attributeText,
}: {
  mode: TermsMode;
  form: FormInstance<TermsFormValues>;
  /** Display text of a specification value (option labels of the category schema). */
  attributeText?: (key: string, value: string) => string;
}) {
  const { t } = useI18n();
  const timing = Form.useWatch("balanceTiming", form);
  const basis = Form.useWatch("deliveryBasis", form);
  const attributes = (Form.useWatch("attributes", { form, preserve: true }) as TermsFormValues["attributes"]) ?? [];

  const amountRule = (required: boolean, label: string) => ({
    validator: (_: unknown, v: string) => {
      if (!v) return required ? Promise.reject(new Error(t("common.required", { field: label }))) : Promise.resolve();
      const n = normaliseAmountInput(v);
      return n !== null && compareDecimal(n, "0") > 0 ? Promise.resolve() : Promise.reject(new Error(t("listing.priceInvalid")));
    },
  });
  const tonnesRule = (required: boolean, label: string) => ({
    validator: (_: unknown, v: string) => {
      if (!v) return required ? Promise.reject(new Error(t("common.required", { field: label }))) : Promise.resolve();
      const n = normaliseDecimalInput(v, 3);
      if (n === null) return Promise.reject(new Error(t("listing.tonnesInvalid")));
      return compareDecimal(n, "0") > 0 ? Promise.resolve() : Promise.reject(new Error(t("listing.tonnesPositive")));
    },
  });

  return (
    <>
      <div className="sub-title">{t("neg.section.product")}</div>
      <Form.Item name="productName" label={t("neg.f.productName")} rules={[{ required: true, message: t("common.required", { field: t("neg.f.productName") }) }, { max: 100 }]}>
        <Input maxLength={100} data-testid="terms-product-name" />
      </Form.Item>
      {attributes.length > 0 && (
        <Form.Item label={t("neg.f.attributes")} extra={t("neg.attributesHint")}>
          <div className="key-specs" data-testid="terms-attributes">
            {attributes.map((a) => (
              <Tag key={a.key} data-testid={`terms-attr-${a.key}`}>
                {a.label || a.key}: {attributeText ? attributeText(a.key, a.value ?? "") : a.value}
              </Tag>
            ))}
          </div>
        </Form.Item>
      )}

      <div className="sub-title">{t("neg.section.price")}</div>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="quantity" label={t("neg.f.quantity")} rules={[tonnesRule(true, t("neg.f.quantity"))]}>
            <Input suffix={t("listing.tonnes")} inputMode="decimal" maxLength={16} data-testid="terms-quantity" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="unitPrice"
            label={mode === "inquiry" ? t("neg.f.targetPrice") : t("neg.f.unitPrice")}
            rules={[amountRule(mode !== "inquiry", t("neg.f.unitPrice"))]}
            extra={mode === "inquiry" ? t("neg.targetPriceHint") : undefined}
          >
            <Input prefix="¥" suffix={t("listing.perTonne")} inputMode="decimal" maxLength={16} data-testid="terms-unit-price" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="taxIncluded" label=" " valuePropName="checked">
            <Checkbox data-testid="terms-tax-included">{t("neg.f.taxIncluded")}</Checkbox>
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="deliveryBasis" label={t("neg.f.deliveryBasis")}>
        <Radio.Group>
          <Radio value={DELIVERY.EX_WORKS} data-testid="terms-basis-ex-works">
            {t("listing.delivery.exWorks")}
          </Radio>
          <Radio value={DELIVERY.DELIVERED} data-testid="terms-basis-delivered">
            {t("listing.delivery.delivered")}
          </Radio>
        </Radio.Group>
      </Form.Item>

      {mode !== "inquiry" && (
        <>
          <div className="sub-title">{t("neg.section.services")}</div>
          <Form.List name="services">
            {(fields, { add, remove }) => (
              <div data-testid="terms-services">
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap data-testid="service-row">
                    <Form.Item name={[f.name, "kind"]} rules={[{ required: true, message: t("neg.serviceKindRequired") }]}>
                      <Select
                        style={{ width: 120 }}
                        placeholder={t("neg.f.serviceKind")}
                        options={SERVICE_VALUES.map((v) => ({ value: v, label: t(SERVICE_KEYS[v]) }))}
                        data-testid={`service-kind-${f.name}`}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, "amount"]} rules={[amountRule(true, t("neg.f.serviceAmount"))]}>
                      <Input prefix="¥" style={{ width: 150 }} inputMode="decimal" placeholder={t("neg.f.serviceAmount")} data-testid={`service-amount-${f.name}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "unit"]} initialValue={CHARGE.PER_TONNE}>
                      <Radio.Group
                        optionType="button"
                        options={[
                          { value: CHARGE.PER_TONNE, label: t(CHARGE_KEYS[CHARGE.PER_TONNE]) },
                          { value: CHARGE.LUMP_SUM, label: t(CHARGE_KEYS[CHARGE.LUMP_SUM]) },
                        ]}
                        data-testid={`service-unit-${f.name}`}
                      />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("common.delete")} />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ unit: CHARGE.PER_TONNE })} data-testid="service-add" style={{ marginBottom: 12 }}>
                  {t("neg.addService")}
                </Button>
              </div>
            )}
          </Form.List>
          <Form.List name="discounts">
            {(fields, { add, remove }) => (
              <div data-testid="terms-discounts">
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap data-testid="discount-row">
                    <Form.Item name={[f.name, "minQuantity"]} rules={[tonnesRule(true, t("neg.f.discountMin"))]}>
                      <Input prefix="≥" suffix={t("listing.tonnes")} style={{ width: 170 }} placeholder={t("neg.f.discountMin")} data-testid={`discount-min-${f.name}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "discount"]} rules={[amountRule(true, t("neg.f.discountAmount"))]}>
                      <Input prefix="¥" suffix={t("listing.perTonne")} style={{ width: 190 }} placeholder={t("neg.f.discountAmount")} data-testid={`discount-amount-${f.name}`} />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("common.delete")} />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="discount-add">
                  {t("neg.addDiscount")}
                </Button>
              </div>
            )}
          </Form.List>
        </>
      )}

      <div className="sub-title">{t("neg.section.delivery")}</div>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="deliveryDate" label={t("neg.f.deliveryDate")} rules={[{ required: true, message: t("common.required", { field: t("neg.f.deliveryDate") }) }]} {...dateProps}>
            <DatePicker
              style={{ width: "100%" }}
              format="YYYY-MM-DD"
              disabledDate={(d) => d.isBefore(dayjs().startOf("day")) || d.isAfter(dayjs().add(1, "year"))}
              data-testid="terms-delivery-date"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name="deliveryPlace"
            label={t("neg.f.deliveryPlace")}
            rules={[{ required: true, whitespace: true, message: t("common.required", { field: t("neg.f.deliveryPlace") }) }, { max: 200 }]} extra={basis === DELIVERY.DELIVERED ? t("neg.deliveredHint") : undefined}>
            <Input maxLength={200} placeholder={t("neg.deliveryPlacePlaceholder")} data-testid="terms-delivery-place" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="transportMode" label={t("neg.f.transportMode")} rules={[{ required: true, message: t("neg.transportRequired") }]}>
            <Select allowClear options={TRANSPORT_VALUES.map((v) => ({ value: v, label: t(TRANSPORT_KEYS[v]) }))} data-testid="terms-transport" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="qualityStandard" label={t("neg.f.qualityStandard")} rules={[{ max: 64 }]}>
            <Input maxLength={64} placeholder="GB/T 1499.2-2018" data-testid="terms-quality" />
          </Form.Item>
        </Col>
      </Row>

      <div className="sub-title">{t("neg.section.payment")}</div>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name="depositPercent"
            label={t("neg.f.depositPercent")}
            extra={t("neg.depositHint")}
            rules={[
              {
                validator: (_, v: string) => {
                  if (!v) return Promise.resolve();
                  const n = normaliseDecimalInput(v, 2);
                  return n !== null && compareDecimal(n, String(MAX_DEPOSIT_PERCENT)) <= 0
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("neg.depositInvalid", { max: MAX_DEPOSIT_PERCENT })));
                },
              },
            ]}
          >
            <Input suffix="%" inputMode="decimal" maxLength={6} data-testid="terms-deposit" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="balanceTiming"
            label={t("neg.f.balanceTiming")}
            dependencies={["depositPercent"]}
            rules={[
              ({ getFieldValue }) => ({
                required: mode === "quote" || !!getFieldValue("depositPercent"),
                message: t("neg.balanceRequired"),
              }),
            ]}
          >
            <Select allowClear options={BALANCE_VALUES.map((v) => ({ value: v, label: t(BALANCE_KEYS[v]) }))} data-testid="terms-balance-timing" />
          </Form.Item>
        </Col>
        {timing === BALANCE.AFTER_DELIVERY && (
          <Col xs={24} md={8}>
            <Form.Item
              name="balanceDays"
              label={t("neg.f.balanceDays")}
              rules={[
                {
                  validator: (_, v: string) => {
                    const n = Number(v);
                    return Number.isInteger(n) && n >= 1 && n <= MAX_BALANCE_DAYS
                      ? Promise.resolve()
                      : Promise.reject(new Error(t("neg.balanceDaysInvalid", { max: MAX_BALANCE_DAYS })));
                  },
                },
              ]}
            >
              <Input suffix={t("neg.days")} inputMode="numeric" maxLength={3} data-testid="terms-balance-days" />
            </Form.Item>
          </Col>
        )}
      </Row>

      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="validUntil"
            label={mode === "quote" ? t("neg.f.validUntil") : t("neg.f.validUntilOptional")}
            rules={[
              ...(mode === "quote" ? [{ required: true, message: t("common.required", { field: t("neg.f.validUntil") }) }] : []),
              {
                validator: (_: unknown, v: number | undefined) =>
                  !v || v > Date.now() + 60_000 ? Promise.resolve() : Promise.reject(new Error(t("neg.validUntilInvalid"))),
              },
            ]}
            {...timeProps}
          >
            <DatePicker
              showTime={{ format: "HH:mm" }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: "100%" }}
              disabledDate={(d) => d.isBefore(dayjs().startOf("day")) || d.isAfter(dayjs().add(90, "day"))}
              data-testid="terms-valid-until"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="notes" label={t("neg.f.notes")} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={3} maxLength={1000} showCount data-testid="terms-notes" />
      </Form.Item>
    </>
  );
}

/**
 * The totals of the terms being edited, computed by the platform (PreviewTerms) a moment after each change, so the
 * form shows exactly what the other side will see.
 */
export function LiveTotals({ form, forQuote }: { form: FormInstance<TermsFormValues>; forQuote: boolean }) {
  const { t } = useI18n();
  const values = Form.useWatch([], { form, preserve: true }) as TermsFormValues | undefined;
  const [totals, setTotals] = useState<Totals | undefined>(undefined);
  const [hint, setHint] = useState("");
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const key = JSON.stringify(values ?? {});

  useEffect(() => {
    const v = JSON.parse(key) as TermsFormValues;
    const mine = ++seq.current;
    if (!v.quantity || !v.unitPrice) {
      setTotals(undefined);
      setHint(t("neg.totals.needPrice"));
      return;
    }
    const timer = window.setTimeout(async () => {
      setBusy(true);
      try {
        // Validity is not what the preview is about: a missing one is not an error here.
        const terms = termsFromValues({ ...v, validUntil: v.validUntil ?? Date.now() + 3_600_000 });
        const res = await negotiationClient.previewTerms({ terms, forQuote });
        if (mine !== seq.current) return;
        setTotals(res.totals);
        setHint("");
      } catch (e) {
        if (mine !== seq.current) return;
        setTotals(undefined);
        const err = parseError(e);
        setHint(err.fieldViolations[0]?.description || err.message);
      } finally {
        if (mine === seq.current) setBusy(false);
      }
    }, 350);
    return () => window.clearTimeout(timer);
  }, [key, forQuote, t]);

  return (
    <div className="live-totals" data-testid="live-totals">
      <div className="live-totals-title">
        {t("neg.totals.title")} {busy && <Spin size="small" />}
      </div>
      {totals ? <TotalsBox totals={totals} testId="preview" /> : <Typography.Text type="secondary" className="small" data-testid="preview-hint">{hint}</Typography.Text>}
    </div>
  );
}
