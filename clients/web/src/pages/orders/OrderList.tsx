import { useCallback, useMemo } from "react";
import { Alert, Card, Empty, Table } from "antd";
import { Link, useNavigate } from "react-router";
import { orderClient } from "../../api/client";
import { EnterpriseListHeader, linkedRow, NoEnterprisePage, StatusTabs, useEnterpriseList } from "../../components/EnterpriseListParts";
import { ORDER_STATUS_INFO, OrderStatusTag, orderStatusParam } from "../../components/orders/labels";
import { OrderRole, OrderStatus, type OrderSummary } from "../../gen/b2btrade/order/v1/order_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { formatTonnes } from "../../lib/decimal";
import { useInbox } from "../../lib/inbox";
import { formatTime } from "../../lib/labels";
import { formatMoney } from "../../lib/money";
import { buyerEnterprises, sellerEnterprises } from "../../lib/negotiation";
import { MemberRole } from "../../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { ORDER_STATUS_FILTERS } from "../../lib/orders";
import { LoadMore } from "../../lib/usePagedList";
import { useI18n } from "../../i18n";

/** A notification about an order or its contract reloads the list. */
const ORDER_SUBJECTS = ["ord_", "ctr_"] as const;

/** Which list: 我的订单 (buyer), 订单管理 (seller), 订单审批 (buyer Admins: orders waiting for approval). */
export type OrderListMode = "buyer" | "seller" | "approvals";

/** /orders, /seller/orders, /orders/approvals — an enterprise's orders with status tabs and paging, refreshed live. */
export default function OrderListPage({ mode }: { mode: OrderListMode }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { enterprises, error: entError } = useMyEnterprises();
  const { state: inboxState } = useInbox();
  const mine = useMemo(() => {
    const list = enterprises ?? [];
    if (mode === "seller") return sellerEnterprises(list).filter((e) => e.profile?.isSeller !== false);
    if (mode === "approvals") return list.filter((e) => e.myRoles.includes(MemberRole.ADMIN));
    return buyerEnterprises(list);
  }, [enterprises, mode]);
  const role = mode === "seller" ? OrderRole.SELLER : OrderRole.BUYER;
  const { enterpriseId, status, items, next, loading, listError, loadMore, setQuery, reload } = useEnterpriseList({
    mine,
    parseStatus: (param) =>
      mode === "approvals" ? OrderStatus.PENDING_APPROVAL : (ORDER_STATUS_FILTERS.find((s) => orderStatusParam(s) === param) ?? OrderStatus.UNSPECIFIED),
    statusParam: mode === "approvals" ? null : orderStatusParam,
    fetchPage: useCallback(
      async (pageToken: string, ent: string, st: OrderStatus) => {
        const res = await orderClient.listOrders({ enterpriseId: ent, role, statuses: st ? [st] : [], pageSize: 20, pageToken });
        return { items: res.orders, nextPageToken: res.nextPageToken };
      },
      [role],
    ),
    subjectPrefixes: ORDER_SUBJECTS,
  });

  const title = t(mode === "seller" ? "nav.sellerOrders" : mode === "approvals" ? "nav.orderApprovals" : "nav.myOrders");
  if (enterprises && mine.length === 0)
    return (
      <NoEnterprisePage
        title={title}
        description={entError ? entError.message : t(mode === "seller" ? "neg.noSellerEnterprise" : mode === "approvals" ? "ord.noAdminEnterprise" : "neg.noBuyerEnterprise")}
        testId="orders-none"
        navigate={navigate}
      />
    );

  const buyer = mode !== "seller";
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
        testIdPrefix="orders"
      />
      <Card>
        {mode !== "approvals" && (
          <StatusTabs
            statuses={ORDER_STATUS_FILTERS}
            active={status}
            param={orderStatusParam}
            label={(s) => t(ORDER_STATUS_INFO[s].key)}
            onChange={(s) => setQuery(enterpriseId, s)}
            testIdPrefix="orders"
          />
        )}
        {listError && <Alert type="error" showIcon title={listError.message} style={{ marginBottom: 12 }} data-testid="orders-error" />}
        <Table<OrderSummary>
          rowKey="orderId"
          loading={loading && items.length === 0}
          dataSource={items}
          pagination={false}
          data-testid="order-table"
          scroll={{ x: 1000 }}
          onRow={(r) => linkedRow({ "data-testid": "order-row", "data-order-id": r.orderId, "data-status": OrderStatus[r.status] }, `/orders/${r.orderId}`, navigate)}
          locale={{ emptyText: <Empty description={t(mode === "approvals" ? "ord.emptyApprovals" : "ord.empty")} /> }}
          columns={[
            {
              title: t("ord.col.order"),
              key: "id",
              render: (_, r) => (
                <Link to={`/orders/${r.orderId}`} className="strong-link" data-testid="order-row-link">
                  {r.orderId}
                </Link>
              ),
            },
            { title: t("listing.product"), key: "product", render: (_, r) => <span data-testid="order-row-product">{r.productSummary}</span> },
            { title: t(buyer ? "neg.col.seller" : "neg.col.buyer"), key: "party", render: (_, r) => <span data-testid="order-row-party">{buyer ? r.sellerName : r.buyerName}</span> },
            { title: t("neg.col.quantity"), key: "qty", align: "right", render: (_, r) => <span className="amount">{formatTonnes(r.quantityTonnes?.value)}</span> },
            { title: t("ord.total"), key: "total", align: "right", render: (_, r) => <span className="amount" data-testid="order-row-total">{formatMoney(r.totalAmount)}</span> },
            { title: t("common.status"), key: "status", render: (_, r) => <OrderStatusTag status={r.status} testId="order-row-status" /> },
            { title: t("ord.col.placedBy"), key: "by", render: (_, r) => r.placedByName },
            { title: t("common.createdAt"), key: "created", render: (_, r) => <span className="small">{formatTime(r.createdAt)}</span> },
            { title: t("common.updatedAt"), key: "updated", render: (_, r) => <span className="small">{formatTime(r.updatedAt)}</span> },
          ]}
        />
        <LoadMore next={next} onLoad={loadMore} />
      </Card>
    </>
  );
}
