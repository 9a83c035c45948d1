import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, Result, Row, Select, Space, Spin, Table, Tag } from "antd";
import { SendOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import dayjs, { type Dayjs } from "dayjs";
import { Link, useNavigate, useSearchParams } from "react-router";
import { catalogClient, negotiationClient, orderClient } from "../../api/client";
import { parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { TermsDescriptions } from "../../components/negotiation/TermsView";
import { TRANSPORT_KEYS, useAttributeFormat } from "../../components/negotiation/labels";
import { PriceBreakdownView } from "../../components/orders/PriceBreakdownView";
import { FREIGHT_BEARER_KEYS } from "../../components/orders/labels";
import { ThreadStatus, type Thread } from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import type { Listing } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import type { Money } from "../../gen/b2btrade/common/v1/types_pb";
import type { OrderSource, PriceBreakdown } from "../../gen/b2btrade/order/v1/order_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { formatTonnes } from "../../lib/decimal";
import { buyerEnterprises, TRANSPORT_VALUES } from "../../lib/negotiation";
import {
  FREIGHT_BEARER,
  MUNICIPALITIES,
  PROVINCES,
  detailsFromValues,
  invoiceFromProfile,
  nationalPhone,
  orderFieldName,
  parseLinesParam,
  valuesFromAgreedTerms,
  type OrderFormValues,
} from "../../lib/orders";
import { newRequestId } from "../../lib/uuid";
import { useI18n } from "../../i18n";

const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v, "YYYY-MM-DD") : undefined }),
  normalize: (d: Dayjs | null) => (d ? d.format("YYYY-MM-DD") : undefined),
};

/** The entries of `o` that hold a value (what the user already typed wins over a prefill). */
function filled<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== "")) as Partial<T>;
}

type SourceInit = {
  source: { case: "threadId"; value: string } | { case: "lines"; value: { lines: { listingId: string; quantityTonnes: { value: string } }[]; removeFromCart: boolean } };
};

/** Preview answers older than the newest request are dropped. */
function usePreview() {
  const [price, setPrice] = useState<PriceBreakdown | undefined>();
  const [needsApproval, setNeedsApproval] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const run = useCallback(async (buyerEnterpriseId: string, source: SourceInit, values: OrderFormValues): Promise<{ price?: PriceBreakdown; error?: ApiError }> => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const res = await orderClient.previewOrder({ buyerEnterpriseId, source: source as unknown as OrderSource, details: detailsFromValues(values) });
      if (mine !== seq.current) return {};
      setPrice(res.price);
      setNeedsApproval(res.needsApproval);
      setError(null);
      return { price: res.price };
    } catch (e) {
      const err = parseError(e);
      if (mine !== seq.current) return { error: err };
      // A breakdown of other values would mislead: show none until the form prices again.
      setPrice(undefined);
      setNeedsApproval(false);
      setError(err);
      return { error: err };
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);
  return { price, needsApproval, error, loading, run };
}

/**
 * /orders/new?thread=thr_… (立即下单 from the agreed terms) or /orders/new?lines=lst_a:12,lst_b:30 (from the cart): the
 * goods read-only, the buyer's delivery, transport and invoice details, a live fee breakdown from PreviewOrder
 * (debounced) and submit with one request id per form and the previewed total as expected_total.
 */
export default function OrderFormPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const threadId = params.get("thread") ?? "";
  const linesText = params.get("lines") ?? "";
  const lines = useMemo(() => parseLinesParam(linesText), [linesText]);
  const [thread, setThread] = useState<Thread | null>(null);
  const [listings, setListings] = useState<Listing[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const { enterprises } = useMyEnterprises();
  const [form] = Form.useForm<OrderFormValues>();
  const [buyerId, setBuyerId] = useState(params.get("enterprise") ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const requestId = useRef(newRequestId());
  const preview = usePreview();
  const attrs = useAttributeFormat(thread?.categoryId ?? "");
  const province = Form.useWatch(["address", "province"], form);

  const source: SourceInit | null = useMemo(
    // Lines only come from the cart page: once the order is placed the server takes them out of the cart.
    () => (threadId ? { source: { case: "threadId", value: threadId } } : lines.length ? { source: { case: "lines", value: { lines, removeFromCart: true } } } : null),
    [threadId, lines],
  );
  const sellerId = thread?.sellerEnterpriseId ?? listings?.[0]?.sellerEnterpriseId ?? "";
  const buyers = useMemo(() => buyerEnterprises(enterprises ?? [], sellerId), [enterprises, sellerId]);

  useEffect(() => {
    if (threadId) {
      negotiationClient
        .getThread({ threadId })
        .then((r) => setThread(r.thread ?? null))
        .catch((e) => setLoadError(parseError(e)));
    } else if (lines.length) {
      Promise.all(lines.map((l) => catalogClient.getListing({ listingId: l.listingId }).then((r) => r.listing!)))
        .then(setListings)
        .catch((e) => setLoadError(parseError(e)));
    }
  }, [threadId, lines]);

  // From a negotiation the buyer is the thread's buyer; from the cart the first enterprise that may buy.
  useEffect(() => {
    if (thread) setBuyerId(thread.buyerEnterpriseId);
    else if (!buyerId && buyers.length) setBuyerId(buyers[0].enterpriseId);
  }, [thread, buyers, buyerId]);

  const agreed = thread?.agreedVersion ? thread.offers.find((o) => o.version === thread.agreedVersion) : undefined;

  // Prefill once: the agreed date, transport and province; the invoice from the buyer's registration.
  const prefilled = useRef("");
  useEffect(() => {
    const buyer = enterprises?.find((e) => e.enterpriseId === buyerId);
    if (!buyer || (threadId && !thread) || prefilled.current === buyerId) return;
    prefilled.current = buyerId;
    const fromTerms = valuesFromAgreedTerms(agreed?.terms);
    const current = form.getFieldsValue(true) as OrderFormValues;
    const invoice = invoiceFromProfile(buyer.profile);
    form.setFieldsValue({
      ...fromTerms,
      address: { ...fromTerms.address, contactName: buyer.profile?.contactName, contactPhone: nationalPhone(buyer.profile?.contactPhone), ...filled(current.address) },
      invoice: current.invoice?.title ? current.invoice : invoice,
      freightBearer: threadId ? undefined : (current.freightBearer ?? FREIGHT_BEARER.BUYER),
    });
    schedulePreview();
  }, [enterprises, buyerId, thread, agreed, threadId, form]); // eslint-disable-line react-hooks/exhaustive-deps

  // A municipality's city is itself.
  useEffect(() => {
    if (province && MUNICIPALITIES.includes(province) && !form.getFieldValue(["address", "city"])) form.setFieldValue(["address", "city"], province);
  }, [province, form]);

  const timer = useRef<number | undefined>(undefined);
  const schedulePreview = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      if (!source || !buyerId) return;
      void preview.run(buyerId, source, form.getFieldsValue(true) as OrderFormValues);
    }, 400);
  }, [source, buyerId, form, preview.run]);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useEffect(() => {
    if (buyerId && source) schedulePreview();
  }, [buyerId, source, schedulePreview]);

  const submit = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    if (!source) return;
    setBusy(true);
    setError(null);
    setUnmapped([]);
    try {
      const values = form.getFieldsValue(true) as OrderFormValues;
      // The buyer orders at the total they saw: the newest preview of exactly these values.
      window.clearTimeout(timer.current);
      const previewed = await preview.run(buyerId, source, values);
      if (previewed.error) {
        showErrors(previewed.error);
        return;
      }
      const expected: Money | undefined = previewed.price?.totalAmount;
      if (!expected) return;
      const res = await orderClient.createOrder({
        requestId: requestId.current,
        buyerEnterpriseId: buyerId,
        source: source as unknown as OrderSource,
        details: detailsFromValues(values),
        expectedTotal: expected,
      });
      message.success(t("ord.placed"));
      navigate(`/orders/${res.order?.orderId ?? ""}`, { replace: true });
    } catch (e) {
      const err = parseError(e);
      // A lost answer is retried with the same request id (the server answers with the same order); a refusal created
      // nothing, so the corrected form goes out under a new one.
      if (![Code.Unavailable, Code.DeadlineExceeded, Code.Unknown].includes(err.code)) requestId.current = newRequestId();
      showErrors(err);
      schedulePreview();
    } finally {
      setBusy(false);
    }
  };

  /** The server's field violations next to the fields; the rest above the form. */
  function showErrors(err: ApiError) {
    setError(err);
    const rest: FieldViolation[] = [];
    const byName = new Map<string, { name: (string | number)[]; errors: string[] }>();
    for (const v of err.fieldViolations) {
      const name = orderFieldName(v.field);
      if (!name) {
        rest.push(v);
        continue;
      }
      const key = JSON.stringify(name);
      const entry = byName.get(key) ?? { name, errors: [] };
      entry.errors.push(v.description);
      byName.set(key, entry);
    }
    if (byName.size) form.setFields([...byName.values()].map((x) => ({ name: x.name, errors: x.errors })) as Parameters<typeof form.setFields>[0]);
    setUnmapped(rest);
  }

  if (!source) return <Result status="404" title={t("ord.noSource")} extra={<Link to="/cart">{t("nav.cart")}</Link>} />;
  if (loadError)
    return (
      <Result
        status={loadError.code === Code.NotFound ? "404" : "error"}
        title={loadError.message}
        extra={<Link to={threadId ? "/inquiries" : "/cart"}>{t("common.back")}</Link>}
      />
    );
  if ((threadId && !thread) || (!threadId && !listings) || !enterprises) return <Spin style={{ display: "block", margin: 80 }} />;
  if (thread && (thread.status !== ThreadStatus.ACCEPTED || thread.orderId))
    return (
      <Result
        status="warning"
        title={t(thread.orderId ? "ord.alreadyOrdered" : "ord.notAccepted")}
        extra={thread.orderId ? <Link to={`/orders/${thread.orderId}`}>{t("ord.viewOrder")}</Link> : <Link to={`/negotiations/${thread.threadId}`}>{t("common.back")}</Link>}
        data-testid="order-form-blocked"
      />
    );

  const buyerName = thread?.buyerName ?? enterprises.find((e) => e.enterpriseId === buyerId)?.profile?.legalName ?? "";
  const sellerName = thread?.sellerName ?? listings?.[0]?.sellerName ?? "";
  const required = (label: string) => [{ required: true, whitespace: true, message: t("common.required", { field: label }) }];

  return (
    <>
      <PageHeader back={threadId ? `/negotiations/${threadId}` : "/cart"} title={t("ord.newTitle")} />
      <div className="thread-parties" data-testid="order-parties">
        {t("ord.buyer")}: <strong data-testid="order-form-buyer">{buyerName}</strong>
        {" · "}
        {t("ord.seller")}: <strong data-testid="order-form-seller">{sellerName}</strong>
      </div>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card size="small" className="section-card" title={t(threadId ? "ord.agreedTerms" : "ord.goods")} data-testid="order-goods">
            {agreed ? (
              <TermsDescriptions terms={agreed.terms} attributes={attrs} />
            ) : (
              <Table
                size="small"
                pagination={false}
                rowKey="listingId"
                dataSource={lines.map((l) => ({ ...l, listing: listings?.find((x) => x.listingId === l.listingId) }))}
                columns={[
                  { title: t("listing.product"), key: "name", render: (_, r) => <Link to={`/catalog/listings/${r.listingId}`}>{r.listing?.spec?.name ?? r.listingId}</Link> },
                  { title: t("neg.f.quantity"), key: "qty", align: "right", render: (_, r) => `${formatTonnes(r.quantityTonnes.value)} ${t("listing.tonnes")}` },
                ]}
              />
            )}
          </Card>
          <Card size="small" className="section-card" title={t("ord.details")}>
            <FormError error={error} unmapped={unmapped} />
            <Form form={form} layout="vertical" name="order" onValuesChange={schedulePreview} onFinish={() => void submit()}>
              {!thread && buyers.length > 1 && (
                <Form.Item label={t("ord.buyer")}>
                  <Select
                    value={buyerId}
                    onChange={(v: string) => {
                      setBuyerId(v);
                      prefilled.current = "";
                    }}
                    options={buyers.map((e) => ({ value: e.enterpriseId, label: e.profile?.legalName ?? e.enterpriseId }))}
                    data-testid="order-buyer"
                  />
                </Form.Item>
              )}
              <Row gutter={12}>
                <Col xs={24} md={8}>
                  <Form.Item name="deliveryDate" label={t("ord.f.deliveryDate")} {...dateProps} rules={[{ required: true, message: t("common.required", { field: t("ord.f.deliveryDate") }) }]}>
                    <DatePicker style={{ width: "100%" }} disabled={!!threadId} disabledDate={(d) => d.isBefore(dayjs().startOf("day"))} data-testid="order-delivery-date" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="transportMode" label={t("ord.f.transportMode")} rules={threadId ? undefined : [{ required: true, message: t("common.required", { field: t("ord.f.transportMode") }) }]}>
                    <Select allowClear disabled={!!threadId} placeholder={threadId ? t("ord.agreedMode") : undefined} options={TRANSPORT_VALUES.map((v) => ({ value: v, label: t(TRANSPORT_KEYS[v]) }))} data-testid="order-transport" />
                  </Form.Item>
                </Col>
                {!threadId && (
                  <Col xs={24} md={8}>
                    <Form.Item name="freightBearer" label={t("ord.f.freightBearer")}>
                      <Select
                        options={[FREIGHT_BEARER.BUYER, FREIGHT_BEARER.SELLER, FREIGHT_BEARER.BUYER_COLLECTS].map((v) => ({ value: v, label: t(FREIGHT_BEARER_KEYS[v]) }))}
                        data-testid="order-freight-bearer"
                      />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              <div className="form-section-title">{t("ord.address")}</div>
              <Row gutter={12}>
                <Col xs={24} md={8}>
                  <Form.Item name={["address", "province"]} label={t("ord.f.province")} rules={required(t("ord.f.province"))}>
                    <Select showSearch options={PROVINCES.map((p) => ({ value: p, label: p }))} data-testid="order-province" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name={["address", "city"]} label={t("ord.f.city")} rules={required(t("ord.f.city"))}>
                    <Input maxLength={50} data-testid="order-city" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name={["address", "district"]} label={t("ord.f.district")} rules={required(t("ord.f.district"))}>
                    <Input maxLength={50} data-testid="order-district" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name={["address", "street"]} label={t("ord.f.street")} rules={required(t("ord.f.street"))}>
                <Input maxLength={200} data-testid="order-street" />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name={["address", "contactName"]} label={t("ord.f.contactName")} rules={required(t("ord.f.contactName"))}>
                    <Input maxLength={50} data-testid="order-contact-name" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={["address", "contactPhone"]} label={t("ord.f.contactPhone")} rules={required(t("ord.f.contactPhone"))}>
                    <Input maxLength={20} data-testid="order-contact-phone" />
                  </Form.Item>
                </Col>
              </Row>
              <div className="form-section-title">{t("ord.invoice")}</div>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name={["invoice", "title"]} label={t("ord.f.invoiceTitle")} rules={required(t("ord.f.invoiceTitle"))}>
                    <Input maxLength={100} data-testid="order-invoice-title" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={["invoice", "taxNumber"]} label={t("ord.f.taxNumber")} rules={required(t("ord.f.taxNumber"))}>
                    <Input maxLength={18} data-testid="order-invoice-tax-number" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={["invoice", "bankName"]} label={t("ord.f.bankName")} rules={required(t("ord.f.bankName"))}>
                    <Input maxLength={100} data-testid="order-invoice-bank" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={["invoice", "bankAccount"]} label={t("ord.f.bankAccount")} rules={required(t("ord.f.bankAccount"))}>
                    <Input maxLength={40} data-testid="order-invoice-account" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={["invoice", "address"]} label={t("ord.f.invoiceAddress")} rules={required(t("ord.f.invoiceAddress"))}>
                    <Input maxLength={200} data-testid="order-invoice-address" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={["invoice", "phone"]} label={t("ord.f.invoicePhone")} rules={required(t("ord.f.invoicePhone"))}>
                    <Input maxLength={20} data-testid="order-invoice-phone" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="remarks" label={t("ord.f.remarks")}>
                <Input.TextArea rows={2} maxLength={500} showCount data-testid="order-remarks" />
              </Form.Item>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            className="section-card sticky-chat"
            title={
              <Space>
                {t("ord.breakdown")}
                {preview.loading && <Spin size="small" />}
              </Space>
            }
            data-testid="order-preview"
          >
            {preview.error &&
              (preview.error.fieldViolations.length > 0 ? (
                // PreviewOrder needs what changes the price and checks whatever else is filled in: say what to fix.
                <Alert
                  type="info"
                  showIcon
                  title={t("ord.preview.incomplete")}
                  description={
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {preview.error.fieldViolations.slice(0, 6).map((v, i) => (
                        <li key={i}>{v.description}</li>
                      ))}
                    </ul>
                  }
                  style={{ marginBottom: 8 }}
                  data-testid="preview-incomplete"
                />
              ) : (
                <Alert type="warning" showIcon title={preview.error.message} style={{ marginBottom: 8 }} data-testid="preview-error" />
              ))}
            {preview.price || preview.loading ? <PriceBreakdownView price={preview.price} loading={preview.loading} testId="preview" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("ord.preview.none")} />}
            {preview.needsApproval && (
              <Tag color="gold" style={{ marginTop: 8 }} data-testid="preview-needs-approval">
                {t("ord.needsApproval")}
              </Tag>
            )}
            <div className="form-actions">
              <Button onClick={() => navigate(threadId ? `/negotiations/${threadId}` : "/cart")}>{t("common.cancel")}</Button>
              <Button type="primary" icon={<SendOutlined />} loading={busy} disabled={!buyerId} onClick={() => void submit()} data-testid="order-submit">
                {t("ord.submit")}
              </Button>
            </div>
          </Card>
        </Col>
      </Row>
    </>
  );
}
