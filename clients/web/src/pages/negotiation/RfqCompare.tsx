import { useCallback, useEffect, useRef, useState } from "react";
import { Alert, App, Button, Card, Descriptions, Popconfirm, Result, Spin, Table, Tag, Typography } from "antd";
import { ReloadOutlined, TrophyOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useParams } from "react-router";
import { negotiationClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { ThreadStatusTag, TRANSPORT_KEYS, dateText, paymentText } from "../../components/negotiation/labels";
import { KeyTerms } from "../../components/negotiation/TermsView";
import { ThreadStatus, type Rfq, type RfqQuoteRow } from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { formatTonnes } from "../../lib/decimal";
import { useInboxNotifications } from "../../lib/inbox";
import { formatTime } from "../../lib/labels";
import { formatMoney } from "../../lib/money";
import { lowestTotalThreads } from "../../lib/negotiation";
import { useI18n } from "../../i18n";

/** /rfqs/:rfqId — every seller's current quote side by side; the lowest standing total is highlighted; 授标 per row. */
export default function RfqComparePage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { rfqId = "" } = useParams();
  const [rfq, setRfq] = useState<Rfq | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState("");

  const load = useCallback(async () => {
    try {
      const res = await negotiationClient.getRfq({ rfqId });
      setRfq(res.rfq ?? null);
      setError(null);
    } catch (e) {
      setError(parseError(e));
    }
  }, [rfqId]);
  useEffect(() => {
    void load();
  }, [load]);

  // A seller quoted, revised or withdrew on one of the threads: read the comparison again.
  const timer = useRef<number | undefined>(undefined);
  const threadIds = new Set(rfq?.rows.map((r) => r.threadId) ?? []);
  useInboxNotifications((n) => {
    if (n.read || !threadIds.has(n.subjectId)) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void load(), 300);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const award = async (row: RfqQuoteRow) => {
    if (!row.quote) return;
    setBusy(row.threadId);
    try {
      const res = await negotiationClient.awardRfq({ rfqId, threadId: row.threadId, version: row.quote.version });
      setRfq(res.rfq ?? null);
      message.success(t("rfq.awarded", { name: row.sellerName }));
    } catch (e) {
      message.error(parseError(e).message);
      void load();
    } finally {
      setBusy("");
    }
  };

  if (error && !rfq)
    return (
      <Result
        status={error.code === Code.NotFound ? "404" : "error"}
        title={error.code === Code.NotFound ? t("rfq.notFound") : error.message}
        extra={<Link to="/inquiries">{t("common.back")}</Link>}
      />
    );
  if (!rfq) return <Spin style={{ display: "block", margin: 80 }} />;

  const lowest = new Set(lowestTotalThreads(rfq.rows));
  const awarded = !!rfq.awardedThreadId;

  return (
    <>
      <PageHeader
        back="/inquiries"
        title={<span data-testid="rfq-title-text">{rfq.title || t("rfq.compareTitle")}</span>}
        sub={awarded ? <Tag color="success" data-testid="rfq-awarded">{t("rfq.awardedTag")}</Tag> : undefined}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t("common.refresh")}
          </Button>
        }
      />
      <Card size="small" className="section-card" title={t("rfq.requested")}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: "product", label: t("neg.f.productName"), children: rfq.requestedTerms?.productName },
            { key: "terms", label: t("rfq.requestedTerms"), span: 2, children: <KeyTerms terms={rfq.requestedTerms} /> },
            { key: "created", label: t("common.createdAt"), children: formatTime(rfq.createTime) },
            { key: "sellers", label: t("rfq.sellers"), children: rfq.rows.length },
          ]}
        />
      </Card>
      <Card size="small" className="section-card" title={t("rfq.compareTitle")}>
        <Table<RfqQuoteRow>
          size="middle"
          rowKey="threadId"
          pagination={false}
          dataSource={rfq.rows}
          scroll={{ x: 1100 }}
          data-testid="rfq-table"
          rowClassName={(r) => (lowest.has(r.threadId) ? "row-lowest" : r.threadId === rfq.awardedThreadId ? "row-awarded" : "")}
          onRow={(r) =>
            ({ "data-testid": "rfq-row", "data-thread-id": r.threadId, "data-lowest": lowest.has(r.threadId) ? "1" : "0", "data-status": ThreadStatus[r.status] }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: t("listing.seller"),
              key: "seller",
              fixed: "left",
              width: 240,
              render: (_, r) => (
                <div>
                  <Link to={`/negotiations/${r.threadId}`} className="strong-link" data-testid="rfq-row-link">
                    {r.sellerName}
                  </Link>
                  {lowest.has(r.threadId) && (
                    <Tag color="green" data-testid="rfq-lowest">
                      {t("rfq.lowest")}
                    </Tag>
                  )}
                </div>
              ),
            },
            { title: t("common.status"), key: "status", render: (_, r) => <ThreadStatusTag status={r.status} testId="rfq-row-status" /> },
            {
              title: t("neg.col.unitPrice"),
              key: "price",
              align: "right",
              render: (_, r) => <span className="amount">{formatMoney(r.quote?.terms?.unitPrice)}</span>,
            },
            { title: t("neg.col.quantity"), key: "qty", align: "right", render: (_, r) => <span className="amount">{r.quote ? formatTonnes(r.quote.terms?.quantityTonnes?.value) : "—"}</span> },
            {
              title: t("neg.col.total"),
              key: "total",
              align: "right",
              render: (_, r) => (
                <strong className="amount" data-testid="rfq-row-total">
                  {formatMoney(r.quote?.totals?.totalAmount)}
                </strong>
              ),
            },
            { title: t("neg.f.deliveryDate"), key: "date", render: (_, r) => (r.quote ? dateText(r.quote.terms?.deliveryDate) : "—") },
            { title: t("neg.f.transportMode"), key: "transport", render: (_, r) => (r.quote?.terms?.transportMode ? t(TRANSPORT_KEYS[r.quote.terms.transportMode]) : "—") },
            { title: t("neg.f.payment"), key: "payment", render: (_, r) => (r.quote ? paymentText(r.quote.terms?.payment) : "—") },
            {
              title: t("neg.col.validUntil"),
              key: "valid",
              render: (_, r) =>
                r.quote?.terms?.validUntil ? (
                  <span className="small">
                    {formatTime(r.quote.terms.validUntil)} {r.quote.expired && <Tag color="warning">{t("neg.expiredBadge")}</Tag>}
                  </span>
                ) : (
                  "—"
                ),
            },
            {
              title: t("common.actions"),
              key: "award",
              fixed: "right",
              render: (_, r) =>
                r.threadId === rfq.awardedThreadId ? (
                  <Tag color="success" icon={<TrophyOutlined />}>
                    {t("rfq.winner")}
                  </Tag>
                ) : !awarded && r.status === ThreadStatus.QUOTED && r.quote && !r.quote.expired ? (
                  <Popconfirm
                    title={t("rfq.awardConfirm", { name: r.sellerName, total: formatMoney(r.quote.totals?.totalAmount) })}
                    okText={t("rfq.award")}
                    cancelText={t("common.cancel")}
                    onConfirm={() => award(r)}
                    okButtonProps={{ "data-testid": "rfq-award-confirm" } as React.ComponentProps<typeof Button>}
                  >
                    <Button type="primary" size="small" icon={<TrophyOutlined />} loading={busy === r.threadId} data-testid="rfq-award">
                      {t("rfq.award")}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Typography.Text type="secondary" className="small">
                    {r.quote ? "—" : t("rfq.noQuote")}
                  </Typography.Text>
                ),
            },
          ]}
        />
        {awarded && <Alert type="success" showIcon style={{ marginTop: 12 }} title={t("rfq.awardedHint")} />}
      </Card>
    </>
  );
}
