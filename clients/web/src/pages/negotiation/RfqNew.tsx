import { useEffect, useMemo, useRef, useState } from "react";
import { Alert, App, Button, Card, Col, Empty, Form, Input, Row, Spin, Table } from "antd";
import { DeleteOutlined, SendOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useNavigate } from "react-router";
import { negotiationClient } from "../../api/client";
import { parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { TermsFields } from "../../components/negotiation/TermsForm";
import { useMyEnterprises } from "../../lib/catalogData";
import { DELIVERY, buyerEnterprises, rfqCartProblem, termsFromValues, type RfqCartItem, type RfqCartProblem, type TermsFormValues } from "../../lib/negotiation";
import { rfqCart, useRfqCart } from "../../lib/rfqCart";
import { RequestIdFor } from "../../lib/requestId";
import { useI18n, type MsgKey } from "../../i18n";
import { BuyerPicker } from "./InquiryNew";
import { applyTermsErrors } from "./OfferDrawer";

const PROBLEM_KEYS: Record<RfqCartProblem, MsgKey> = {
  tooFew: "rfq.problem.tooFew",
  tooMany: "rfq.problem.tooMany",
  sameSeller: "rfq.problem.sameSeller",
  ownListing: "rfq.problem.ownListing",
};

/** /rfqs/new — 询价单: one request for quotation to the sellers of the listings collected in the cart. */
export default function RfqNewPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const items = useRfqCart();
  const { enterprises } = useMyEnterprises();
  const buyers = useMemo(() => buyerEnterprises(enterprises ?? []), [enterprises]);
  const [buyerId, setBuyerId] = useState("");
  const [title, setTitle] = useState("");
  const [form] = Form.useForm<TermsFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const requestId = useRef(new RequestIdFor());

  useEffect(() => {
    if (!buyerId && buyers.length) setBuyerId(buyers[0].enterpriseId);
  }, [buyers, buyerId]);
  const first = items[0]?.name ?? "";
  useEffect(() => {
    if (first && !form.getFieldValue("productName")) form.setFieldsValue({ productName: first });
  }, [first, form]);

  const problem = rfqCartProblem(items, buyerId);

  const submit = async () => {
    if (problem) return;
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const terms = termsFromValues(form.getFieldsValue(true) as TermsFormValues);
      const rfqTitle = title.trim() || terms.productName;
      const listingIds = items.map((i) => i.listingId);
      const res = await negotiationClient.createRfq({
        requestId: requestId.current.idFor([buyerId, rfqTitle, listingIds, terms]),
        buyerEnterpriseId: buyerId,
        title: rfqTitle,
        listingIds,
        terms,
      });
      rfqCart.clear();
      message.success(t("rfq.sent"));
      navigate(`/rfqs/${res.rfq?.rfqId ?? ""}`, { replace: true });
    } catch (e) {
      const err = parseError(e);
      if (![Code.Unavailable, Code.DeadlineExceeded, Code.Unknown].includes(err.code)) requestId.current.next();
      setError(err);
      setUnmapped(applyTermsErrors(form, err));
    } finally {
      setBusy(false);
    }
  };

  if (!enterprises) return <Spin style={{ display: "block", margin: 80 }} />;

  return (
    <>
      <PageHeader back="/catalog" title={t("rfq.newTitle")} />
      <Card size="small" className="section-card" title={t("rfq.cart", { n: items.length })}>
        <Table<RfqCartItem>
          size="small"
          rowKey="listingId"
          pagination={false}
          dataSource={items}
          data-testid="rfq-cart"
          locale={{ emptyText: <Empty description={t("rfq.cartEmpty")} /> }}
          onRow={(r) => ({ "data-testid": "rfq-cart-row", "data-listing-id": r.listingId }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t("listing.product"), key: "name", render: (_, r) => <Link to={`/catalog/listings/${r.listingId}`}>{r.name}</Link> },
            { title: t("listing.seller"), dataIndex: "sellerName" },
            {
              title: t("common.actions"),
              key: "remove",
              width: 90,
              render: (_, r) => (
                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => rfqCart.remove(r.listingId)} aria-label={t("common.delete")} data-testid="rfq-cart-remove" />
              ),
            },
          ]}
        />
        <div style={{ marginTop: 8 }}>
          <Link to="/catalog">{t("rfq.addMore")}</Link>
        </div>
      </Card>
      {problem && items.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t(PROBLEM_KEYS[problem])} data-testid="rfq-problem" />}
      {buyers.length === 0 ? (
        <Card>
          <Empty description={t("neg.noBuyerEnterprise")} />
        </Card>
      ) : (
        <Card className="section-card">
          <FormError error={error} unmapped={unmapped} />
          <Form form={form} layout="vertical" name="rfq" initialValues={{ taxIncluded: true, deliveryBasis: DELIVERY.EX_WORKS }}>
            {buyers.length > 1 && (
              <BuyerPicker options={buyers.map((e) => ({ enterpriseId: e.enterpriseId, name: e.profile?.legalName ?? e.enterpriseId }))} value={buyerId} onChange={setBuyerId} />
            )}
            <Form.Item label={t("rfq.title")} extra={t("rfq.titleHint")}>
              <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={100} placeholder={t("rfq.titlePlaceholder")} data-testid="rfq-title" style={{ maxWidth: 420 }} />
            </Form.Item>
            <Row>
              <Col xs={24} xl={18}>
                <TermsFields mode="inquiry" form={form} />
              </Col>
            </Row>
            <div className="form-actions">
              <Button type="primary" icon={<SendOutlined />} loading={busy} disabled={!!problem} onClick={() => void submit()} data-testid="rfq-submit">
                {t("rfq.send", { n: items.length })}
              </Button>
            </div>
          </Form>
        </Card>
      )}
    </>
  );
}
