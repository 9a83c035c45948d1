import { useCallback, useMemo } from "react";
import { Alert, Button, Card, Empty, Table, Tag } from "antd";
import { SearchOutlined } from "@ant-design/icons";
import { Link, useNavigate } from "react-router";
import { negotiationClient } from "../../api/client";
import { EnterpriseListHeader, linkedRow, NoEnterprisePage, StatusTabs, useEnterpriseList } from "../../components/EnterpriseListParts";
import { STATUS_FILTERS, STATUS_INFO, ThreadStatusTag } from "../../components/negotiation/labels";
import { Side, ThreadStatus, type ThreadSummary } from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { formatTonnes } from "../../lib/decimal";
import { useInbox } from "../../lib/inbox";
import { formatTime } from "../../lib/labels";
import { formatMoney } from "../../lib/money";
import { buyerEnterprises, sellerEnterprises } from "../../lib/negotiation";
import { LoadMore } from "../../lib/usePagedList";
import { useI18n } from "../../i18n";

const statusParam = (s: ThreadStatus) => ThreadStatus[s].toLowerCase();

/** A notification about a thread (new inquiry, quote, counter-offer, message…) reloads the list. */
const THREAD_SUBJECTS = ["thr_"] as const;

/**
 * /inquiries (我的询盘, the buyer's threads) and /seller/inquiries (询盘管理, the seller's): ListThreads of one
 * enterprise by status, newest activity first, page by page. A notification about a thread (new inquiry, quote,
 * counter-offer, message…) reloads the list, so new inquiries appear without a reload.
 */
export default function ThreadListPage({ side }: { side: Side }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { enterprises, error: entError } = useMyEnterprises();
  const { state: inboxState } = useInbox();
  const buyer = side === Side.BUYER;
  const mine = useMemo(
    () => (buyer ? buyerEnterprises(enterprises ?? []) : sellerEnterprises(enterprises ?? []).filter((e) => e.profile?.isSeller !== false)),
    [enterprises, buyer],
  );
  const { enterpriseId, status, items, next, loading, listError, loadMore, setQuery, reload } = useEnterpriseList({
    mine,
    parseStatus: (param) => STATUS_FILTERS.find((s) => statusParam(s) === param) ?? ThreadStatus.UNSPECIFIED,
    statusParam,
    fetchPage: useCallback(
      async (pageToken: string, ent: string, st: ThreadStatus) => {
        const res = await negotiationClient.listThreads({ enterpriseId: ent, side, statuses: st ? [st] : [], pageSize: 20, pageToken });
        return { items: res.threads, nextPageToken: res.nextPageToken };
      },
      [side],
    ),
    subjectPrefixes: THREAD_SUBJECTS,
  });

  const title = t(buyer ? "nav.myInquiries" : "nav.sellerInquiries");
  if (enterprises && mine.length === 0)
    return (
      <NoEnterprisePage
        title={title}
        description={entError ? entError.message : t(buyer ? "neg.noBuyerEnterprise" : "neg.noSellerEnterprise")}
        testId="threads-none"
        navigate={navigate}
      />
    );

  return (
    <>
      <EnterpriseListHeader
        title={title}
        live={inboxState}
        enterprises={mine}
        loading={!enterprises}
        value={enterpriseId}
        onChange={(v) => setQuery(v, status)}
        onRefresh={reload}
        testIdPrefix="threads"
      >
        {buyer && (
          <Button type="primary" icon={<SearchOutlined />} onClick={() => navigate("/catalog")}>
            {t("neg.findGoods")}
          </Button>
        )}
      </EnterpriseListHeader>
      <Card>
        <StatusTabs
          statuses={STATUS_FILTERS}
          active={status}
          param={statusParam}
          label={(s) => t(STATUS_INFO[s].key)}
          onChange={(s) => setQuery(enterpriseId, s)}
          testIdPrefix="threads"
        />
        {listError && <Alert type="error" showIcon title={listError.message} style={{ marginBottom: 12 }} data-testid="threads-error" />}
        <Table<ThreadSummary>
          rowKey="threadId"
          loading={loading && items.length === 0}
          dataSource={items}
          pagination={false}
          data-testid="thread-table"
          scroll={{ x: 1000 }}
          onRow={(r) => linkedRow({ "data-testid": "thread-row", "data-thread-id": r.threadId, "data-status": ThreadStatus[r.status] }, `/negotiations/${r.threadId}`, navigate)}
          locale={{ emptyText: <Empty description={t(buyer ? "neg.emptyBuyer" : "neg.emptySeller")} /> }}
          columns={[
            {
              title: t("listing.product"),
              key: "product",
              render: (_, r) => (
                <div>
                  <Link to={`/negotiations/${r.threadId}`} className="strong-link" data-testid="thread-row-product">
                    {r.productName}
                  </Link>
                  {r.rfqId && (
                    <Link to={buyer ? `/rfqs/${r.rfqId}` : `/negotiations/${r.threadId}`}>
                      <Tag color="purple" style={{ marginLeft: 6 }} data-testid="thread-row-rfq">
                        {t("rfq.tag")}
                      </Tag>
                    </Link>
                  )}
                </div>
              ),
            },
            { title: t(buyer ? "neg.col.seller" : "neg.col.buyer"), key: "party", render: (_, r) => <span data-testid="thread-row-party">{buyer ? r.sellerName : r.buyerName}</span> },
            { title: t("neg.col.quantity"), key: "qty", align: "right", render: (_, r) => <span className="amount">{formatTonnes(r.quantityTonnes?.value)}</span> },
            { title: t("neg.col.unitPrice"), key: "price", align: "right", render: (_, r) => <span className="amount" data-testid="thread-row-price">{formatMoney(r.unitPrice)}</span> },
            { title: t("neg.col.total"), key: "total", align: "right", render: (_, r) => <span className="amount" data-testid="thread-row-total">{formatMoney(r.totalAmount)}</span> },
            { title: t("common.status"), key: "status", render: (_, r) => <ThreadStatusTag status={r.status} testId="thread-row-status" /> },
            { title: t("neg.col.validUntil"), key: "valid", render: (_, r) => <span className="small">{r.validUntil ? formatTime(r.validUntil) : "—"}</span> },
            { title: t("common.updatedAt"), key: "updated", render: (_, r) => <span className="small">{formatTime(r.updateTime)}</span> },
          ]}
        />
        <LoadMore next={next} onLoad={loadMore} />
      </Card>
    </>
  );
}
