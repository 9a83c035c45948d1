import { useEffect, useState } from "react";
import { Button, Col, Drawer, Form, Row, Space } from "antd";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { LiveTotals, TermsFields } from "../../components/negotiation/TermsForm";
import { termsFieldName, type TermsFormValues } from "../../lib/negotiation";
import { useI18n } from "../../i18n";

const FORM_FIELDS = [
  "productName",
  "attributes",
  "quantity",
  "unitPrice",
  "taxIncluded",
  "deliveryBasis",
  "deliveryDate",
  "deliveryPlace",
  "transportMode",
  "qualityStandard",
  "depositPercent",
  "balanceTiming",
  "balanceDays",
  "services",
  "discounts",
  "validUntil",
  "notes",
];

/** Puts a terms request's field violations on the terms form; returns those that fit no field. */
export function applyTermsErrors(form: ReturnType<typeof Form.useForm<TermsFormValues>>[0], err: ApiError): FieldViolation[] {
  const keys = ((form.getFieldValue("attributes") as TermsFormValues["attributes"]) ?? []).map((a) => a.key);
  return applyFieldErrors(form, err, { known: FORM_FIELDS, resolve: (f) => termsFieldName(f, keys) });
}

/**
 * The quote (seller) or counter-offer (buyer) form in a drawer, prefilled with `initial`, with the platform's totals
 * live. onSubmit sends it; a failure is shown on the fields it names.
 */
export function OfferDrawer({
  open,
  mode,
  title,
  submitText,
  initial,
  onClose,
  onSubmit,
  attributeText,
}: {
  open: boolean;
  mode: "quote" | "counter";
  title: string;
  submitText: string;
  initial: TermsFormValues;
  onClose: () => void;
  onSubmit: (values: TermsFormValues) => Promise<void>;
  attributeText?: (key: string, value: string) => string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<TermsFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setUnmapped([]);
    form.resetFields();
    form.setFieldsValue(initial);
  }, [open, initial, form]);

  const submit = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(form.getFieldsValue(true) as TermsFormValues);
    } catch (e) {
      const err = parseError(e);
      setError(err);
      setUnmapped(applyTermsErrors(form, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      title={title}
      size={880}
      onClose={onClose}
      destroyOnHidden
      data-testid={`${mode}-drawer`}
      extra={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="offer-submit">
            {submitText}
          </Button>
        </Space>
      }
    >
      <FormError error={error} unmapped={unmapped} />
      <Form form={form} layout="vertical" name={`${mode}-form`} onFinish={() => void submit()}>
        <Row gutter={24}>
          <Col xs={24} lg={17}>
            <TermsFields mode={mode} form={form} attributeText={attributeText} />
          </Col>
          <Col xs={24} lg={7}>
            <div className="sticky-totals">
              <LiveTotals form={form} forQuote={mode === "quote"} />
            </div>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
