import { useEffect, useMemo, useRef, useState } from "react";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Result, Row, Select, Spin } from "antd";
import { SendOutlined, ShopOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useNavigate, useSearchParams } from "react-router";
import { catalogClient, negotiationClient } from "../../api/client";
import { parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { priceRangeText } from "../../components/ListingBits";
import { AttachmentsInput, type UploadedFile } from "../../components/negotiation/Attachments";
import { useAttributeFormat } from "../../components/negotiation/labels";
import { TermsFields } from "../../components/negotiation/TermsForm";
import { DeliveryPriceBasis, type Listing } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { formatTonnes } from "../../lib/decimal";
import { WEIGHT_BASIS_ATTRIBUTE } from "../../lib/listingForm";
import { DELIVERY, buyerEnterprises, termsFromValues, type TermsFormValues } from "../../lib/negotiation";
import { RequestIdFor } from "../../lib/requestId";
import { useI18n } from "../../i18n";
import { applyTermsErrors } from "./OfferDrawer";

/** The inquiry's starting terms from the listing: its name and specs, the minimum order, its price basis and place. */
export function valuesFromListing(l: Listing, label: (key: string) => string): TermsFormValues {
  const spec = l.spec;
  const delivered = spec?.deliveryPriceBasis === DeliveryPriceBasis.DELIVERED;
  return {
    productName: spec?.name ?? "",
    attributes: Object.entries(spec?.attributes ?? {})
      .filter(([k, v]) => k !== WEIGHT_BASIS_ATTRIBUTE && v !== "")
      .map(([key, value]) => ({ key, value, label: label(key) })),
    quantity: spec?.moqTonnes?.value ?? "",
    unitPrice: "",
    taxIncluded: true,
    deliveryBasis: delivered ? DELIVERY.DELIVERED : DELIVERY.EX_WORKS,
    deliveryPlace: delivered ? spec?.deliveredTo ?? "" : "",
    services: [],
    discounts: [],
  };
}

/** A buyer enterprise picker: hidden behind a plain name when there is only one. */
export function BuyerPicker({ options, value, onChange }: { options: { enterpriseId: string; name: string }[]; value: string; onChange: (id: string) => void }) {
  const { t } = useI18n();
  return (
    <Form.Item label={t("neg.buyerEnterprise")} required>
      <Select
        value={value || undefined}
        onChange={onChange}
        options={options.map((e) => ({ value: e.enterpriseId, label: e.name }))}
        data-testid="buyer-enterprise"
        style={{ maxWidth: 420 }}
      />
    </Form.Item>
  );
}

/** /inquiries/new?listing=… — 询价: the buyer's inquiry on one listing, sent to its seller. */
export default function InquiryNewPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const listingId = params.get("listing") ?? "";
  const [listing, setListing] = useState<Listing | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const { enterprises } = useMyEnterprises();
  const buyers = useMemo(() => buyerEnterprises(enterprises ?? [], listing?.sellerEnterpriseId ?? ""), [enterprises, listing]);
  const [buyerId, setBuyerId] = useState("");
  const [form] = Form.useForm<TermsFormValues>();
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const requestId = useRef(new RequestIdFor());
  const attrs = useAttributeFormat(listing?.spec?.categoryId ?? "");

  useEffect(() => {
    if (!listingId) return;
    catalogClient
      .getListing({ listingId })
      .then((r) => setListing(r.listing ?? null))
      .catch((e) => setLoadError(parseError(e)));
  }, [listingId]);

  useEffect(() => {
    if (!buyerId && buyers.length) setBuyerId(buyers[0].enterpriseId);
  }, [buyers, buyerId]);

  const filled = useRef(false);
  useEffect(() => {
    if (!listing || filled.current) return;
    filled.current = true;
    form.setFieldsValue(valuesFromListing(listing, attrs.label));
  }, [listing, form, attrs]);
  // Attribute labels arrive with the category tree: relabel without touching what the buyer typed.
  useEffect(() => {
    const rows = (form.getFieldValue("attributes") as TermsFormValues["attributes"]) ?? [];
    if (rows.length) form.setFieldValue("attributes", rows.map((r) => ({ ...r, label: attrs.label(r.key) })));
  }, [attrs, form]);

  const submit = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const terms = termsFromValues(form.getFieldsValue(true) as TermsFormValues);
      const attachmentFileIds = files.map((f) => f.fileId);
      const res = await negotiationClient.createInquiry({
        requestId: requestId.current.idFor([buyerId, listingId, terms, attachmentFileIds]),
        buyerEnterpriseId: buyerId,
        listingId,
        terms,
        attachmentFileIds,
      });
      message.success(t("neg.inquirySent"));
      navigate(`/negotiations/${res.thread?.threadId ?? ""}`, { replace: true });
    } catch (e) {
      const err = parseError(e);
      // A lost answer may be retried with the same request id (the server returns the same thread); otherwise a new one.
      if (![Code.Unavailable, Code.DeadlineExceeded, Code.Unknown].includes(err.code)) requestId.current.next();
      setError(err);
      setUnmapped(applyTermsErrors(form, err));
    } finally {
      setBusy(false);
    }
  };

  if (!listingId) return <Result status="404" title={t("neg.noListing")} extra={<Link to="/catalog">{t("nav.catalog")}</Link>} />;
  if (loadError)
    return (
      <Result
        status={loadError.code === Code.NotFound ? "404" : "error"}
        title={loadError.code === Code.NotFound ? t("listing.notFound") : loadError.message}
        extra={<Link to="/catalog">{t("common.back")}</Link>}
      />
    );
  if (!listing || !enterprises) return <Spin style={{ display: "block", margin: 80 }} />;
  const spec = listing.spec;

  return (
    <>
      <PageHeader back={`/catalog/listings/${listingId}`} title={t("neg.newInquiry")} />
      <Card size="small" className="section-card" data-testid="inquiry-listing">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: "name", label: t("listing.product"), children: <Link to={`/catalog/listings/${listingId}`}>{spec?.name}</Link> },
            {
              key: "seller",
              label: t("listing.seller"),
              children: (
                <span data-testid="inquiry-seller">
                  <ShopOutlined /> {listing.sellerName}
                </span>
              ),
            },
            { key: "price", label: t("listing.priceHeader"), children: <span className="amount">{priceRangeText(listing)}</span> },
            { key: "moq", label: t("listing.moq"), children: `${formatTonnes(spec?.moqTonnes?.value)} ${t("listing.tonnes")}` },
            { key: "stock", label: t("listing.stock"), children: `${formatTonnes(spec?.stockTonnes?.value)} ${t("listing.tonnes")}` },
            { key: "city", label: t("listing.warehouse"), children: spec?.warehouseCity },
          ]}
        />
      </Card>
      {buyers.length === 0 ? (
        <Card>
          <Empty description={t("neg.noBuyerEnterprise")} data-testid="inquiry-no-buyer">
            <Button type="primary" onClick={() => navigate("/enterprises")}>
              {t("nav.myEnterprises")}
            </Button>
          </Empty>
        </Card>
      ) : (
        <Card className="section-card">
          <FormError error={error} unmapped={unmapped} />
          <Form form={form} layout="vertical" name="inquiry" onFinish={() => void submit()} initialValues={{ taxIncluded: true }}>
            {buyers.length > 1 ? (
              <BuyerPicker options={buyers.map((e) => ({ enterpriseId: e.enterpriseId, name: e.profile?.legalName ?? e.enterpriseId }))} value={buyerId} onChange={setBuyerId} />
            ) : (
              <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("neg.asBuyer", { name: buyers[0].profile?.legalName ?? "" })} data-testid="buyer-enterprise-single" />
            )}
            <Row>
              <Col xs={24} xl={18}>
                <TermsFields mode="inquiry" form={form} attributeText={attrs.text} />
                <Form.Item label={t("neg.attachments")}>
                  <AttachmentsInput value={files} onChange={setFiles} enterpriseId={buyerId} onError={(m) => message.error(m)} />
                </Form.Item>
              </Col>
            </Row>
            <div className="form-actions">
              <Button onClick={() => navigate(`/catalog/listings/${listingId}`)}>{t("common.cancel")}</Button>
              <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void submit()} data-testid="inquiry-submit">
                {t("neg.sendInquiry")}
              </Button>
            </div>
          </Form>
        </Card>
      )}
    </>
  );
}
