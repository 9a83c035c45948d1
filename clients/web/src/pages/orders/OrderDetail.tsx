import { useCallback, useEffect, useRef, useState } from "react";
import { Alert, App, Button, Card, Col, Descriptions, Popconfirm, Result, Row, Space, Spin, Steps, Timeline, Typography } from "antd";
import { CheckOutlined, CloseOutlined, FileProtectOutlined, StopOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useParams } from "react-router";
import { contractClient, orderClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { LiveBadge } from "../catalog/CatalogSearch";
import { TRANSPORT_KEYS, dateText } from "../../components/negotiation/labels";
import { ContractStatusTag, FREIGHT_BEARER_KEYS, ORDER_STATUS_INFO, OrderStatusTag } from "../../components/orders/labels";
import { PriceBreakdownView } from "../../components/orders/PriceBreakdownView";
import { ReasonModal } from "../../components/ReasonModal";
import { OrderStatus, type Order } from "../../gen/b2btrade/order/v1/order_service_pb";
import type { Contract } from "../../gen/b2btrade/contract/v1/contract_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { useInbox, useInboxNotifications } from "../../lib/inbox";
import { formatTime } from "../../lib/labels";
import { orderActions, orderStep } from "../../lib/orders";
import { useI18n } from "../../i18n";

type Dialog = "approve" | "rejectApproval" | "reject" | "cancel" | null;

/** /orders/:orderId — one order: status bar and timeline, parties, details, fee breakdown, the caller's actions, contract. */
export default function OrderDetailPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { orderId = "" } = useParams();
  const { enterprises } = useMyEnterprises();
  const { state: inboxState, markSubjectRead } = useInbox();
  const [order, setOrder] = useState<Order | null>(null);
  const [contract, setContract] = useState<Contract | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    try {
      const res = await orderClient.getOrder({ orderId });
      setOrder(res.order ?? null);
      setError(null);
    } catch (e) {
      setError(parseError(e));
    }
  }, [orderId]);
  useEffect(() => {
    setOrder(null);
    void load();
  }, [load]);

  const contractId = order?.contractId ?? "";
  const status = order?.status;
  useEffect(() => {
    if (!contractId) return;
    contractClient
      .getContract({ contractId })
      .then((r) => setContract(r.contract ?? null))
      .catch(() => setContract(null));
  }, [contractId, status]);

  // Live: a notification about this order or its contract → read it again; seen while on screen.
  const timer = useRef<number | undefined>(undefined);
  useInboxNotifications((n) => {
    if (n.subjectId !== orderId && (!contractId || n.subjectId !== contractId)) return;
    if (n.read) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void load(), 200);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useEffect(() => {
    if (order && document.visibilityState === "visible") markSubjectRead(orderId);
  }, [orderId, status, markSubjectRead]); // eslint-disable-line react-hooks/exhaustive-deps

  if (error && !order)
    return (
      <Result
        status={error.code === Code.NotFound ? "404" : "error"}
        title={error.code === Code.NotFound ? t("ord.notFound") : error.message}
        extra={<Link to="/orders">{t("common.back")}</Link>}
      />
    );
  if (!order || !enterprises) return <Spin style={{ display: "block", margin: 80 }} />;

  const rolesIn = (id: string) => enterprises.find((e) => e.enterpriseId === id)?.myRoles ?? [];
  const buyerRoles = rolesIn(order.buyerEnterpriseId);
  const sellerRoles = rolesIn(order.sellerEnterpriseId);
  const isBuyer = buyerRoles.length > 0;
  const actions = orderActions(order.status, { buyerRoles, sellerRoles });
  const step = orderStep(order.status);
  const details = order.details;
  const address = details?.deliveryAddress;
  const invoice = details?.invoice;

  const act = async (fn: () => Promise<{ order?: Order }>, done: string) => {
    try {
      const res = await fn();
      if (res.order) setOrder(res.order);
      message.success(done);
      setDialog(null);
    } catch (e) {
      message.error(parseError(e).message);
    }
  };

  const confirm = async () => {
    setConfirming(true);
    try {
      await act(() => orderClient.confirmOrder({ orderId }), t("ord.confirmed"));
    } finally {
      setConfirming(false);
    }
  };

  const dialogProps: Record<Exclude<Dialog, null>, { title: string; ok: string; required: boolean; danger: boolean; run: (r: string) => Promise<void> }> = {
    approve: { title: t("ord.approve"), ok: t("ord.approve"), required: false, danger: false, run: (r) => act(() => orderClient.approveOrder({ orderId, comment: r }), t("ord.approved")) },
    rejectApproval: { title: t("ord.rejectApproval"), ok: t("ord.rejectApproval"), required: true, danger: true, run: (r) => act(() => orderClient.rejectApproval({ orderId, comment: r }), t("ord.approvalRejected")) },
    reject: { title: t("ord.reject"), ok: t("ord.reject"), required: true, danger: true, run: (r) => act(() => orderClient.rejectOrder({ orderId, reason: r }), t("ord.rejected")) },
    cancel: { title: t("ord.cancel"), ok: t("ord.cancel"), required: false, danger: true, run: (r) => act(() => orderClient.cancelOrder({ orderId, reason: r }), t("ord.cancelled")) },
  };
  const dp = dialog ? dialogProps[dialog] : null;

  return (
    <>
      <PageHeader
        back={isBuyer ? "/orders" : "/seller/orders"}
        title={<span data-testid="order-title">{t("ord.detailTitle", { id: order.orderId })}</span>}
        sub={
          <Space size={4}>
            <OrderStatusTag status={order.status} />
            <LiveBadge state={inboxState} />
          </Space>
        }
        extra={
          order.contractId ? (
            <Link to={`/contracts/${order.contractId}`} data-testid="order-contract-link">
              <Button icon={<FileProtectOutlined />}>{t("ord.viewContract")}</Button>
            </Link>
          ) : undefined
        }
      />
      <Card size="small" className="section-card">
        <Steps
          size="small"
          current={step < 0 ? 1 : step}
          status={step < 0 ? "error" : order.status === OrderStatus.CONTRACT_EFFECTIVE ? "finish" : "process"}
          items={[
            { title: t(order.status === OrderStatus.PENDING_APPROVAL ? "ord.status.pendingApproval" : "ord.step.placed") },
            { title: step < 0 ? t(ORDER_STATUS_INFO[order.status].key) : t("ord.status.pendingConfirmation") },
            { title: t("ord.step.contract") },
            { title: t("ord.status.contractEffective") },
          ]}
          data-testid="order-steps"
        />
      </Card>
      {order.status === OrderStatus.PENDING_CONFIRMATION && order.confirmBy && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("ord.confirmBy", { time: formatTime(order.confirmBy) })} data-testid="order-confirm-by" />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card size="small" className="section-card" title={t("ord.parties")}>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: "buyer", label: t("ord.buyer"), children: <span data-testid="order-buyer">{order.buyerName}</span> },
                { key: "seller", label: t("ord.seller"), children: <span data-testid="order-seller">{order.sellerName}</span> },
                { key: "by", label: t("ord.col.placedBy"), children: order.placedByName },
                { key: "at", label: t("common.createdAt"), children: formatTime(order.createdAt) },
                ...(order.threadId ? [{ key: "thread", label: t("ord.fromThread"), children: <Link to={`/negotiations/${order.threadId}`}>{t("ord.agreedVersion", { v: order.termsVersion })}</Link> }] : []),
                ...(order.qualityStandard ? [{ key: "quality", label: t("neg.f.qualityStandard"), children: order.qualityStandard }] : []),
              ]}
            />
          </Card>
          <Card size="small" className="section-card" title={t("ord.details")}>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: "date", label: t("ord.f.deliveryDate"), children: <span data-testid="order-delivery-date">{dateText(details?.deliveryDate)}</span> },
                { key: "transport", label: t("ord.f.transportMode"), children: details?.transportMode ? t(TRANSPORT_KEYS[details.transportMode]) : "—" },
                { key: "bearer", label: t("ord.f.freightBearer"), children: t(FREIGHT_BEARER_KEYS[details?.freightBearer ?? 0] ?? "common.none") },
                {
                  key: "address",
                  label: t("ord.address"),
                  span: 2,
                  children: (
                    <span data-testid="order-address">
                      {[address?.province, address?.city !== address?.province ? address?.city : "", address?.district, address?.street].filter(Boolean).join(" ")}
                      {address?.contactName ? ` · ${address.contactName} ${address.contactPhone}` : ""}
                    </span>
                  ),
                },
                {
                  key: "invoice",
                  label: t("ord.invoice"),
                  span: 2,
                  children: (
                    <span data-testid="order-invoice">
                      {invoice?.title} · {invoice?.taxNumber} · {invoice?.bankName} {invoice?.bankAccount} · {invoice?.address} {invoice?.phone}
                    </span>
                  ),
                },
                ...(details?.remarks ? [{ key: "remarks", label: t("ord.f.remarks"), span: 2, children: <span className="plain-text">{details.remarks}</span> }] : []),
              ]}
            />
          </Card>
          <Card size="small" className="section-card" title={t("ord.breakdown")}>
            <PriceBreakdownView price={order.price} testId="order-breakdown" />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" className="section-card" title={t("common.actions")} data-testid="order-actions">
            <Space wrap>
              {actions.approve && (
                <>
                  <Button type="primary" icon={<CheckOutlined />} onClick={() => setDialog("approve")} data-testid="order-approve">
                    {t("ord.approve")}
                  </Button>
                  <Button danger icon={<CloseOutlined />} onClick={() => setDialog("rejectApproval")} data-testid="order-reject-approval">
                    {t("ord.rejectApproval")}
                  </Button>
                </>
              )}
              {actions.confirm && (
                <>
                  <Popconfirm
                    title={t("ord.confirmQuestion")}
                    okText={t("ord.confirm")}
                    cancelText={t("common.cancel")}
                    onConfirm={confirm}
                    okButtonProps={{ "data-testid": "order-confirm-ok" } as React.ComponentProps<typeof Button>}
                  >
                    <Button type="primary" icon={<CheckOutlined />} loading={confirming} data-testid="order-confirm">
                      {t("ord.confirm")}
                    </Button>
                  </Popconfirm>
                  <Button danger icon={<CloseOutlined />} onClick={() => setDialog("reject")} data-testid="order-reject">
                    {t("ord.reject")}
                  </Button>
                </>
              )}
              {actions.cancel && (
                <Button danger icon={<StopOutlined />} onClick={() => setDialog("cancel")} data-testid="order-cancel">
                  {t("ord.cancel")}
                </Button>
              )}
              {!actions.approve && !actions.confirm && !actions.cancel && (
                <Typography.Text type="secondary" data-testid="order-no-actions">
                  {t("ord.noActions")}
                </Typography.Text>
              )}
            </Space>
            {order.contractId && (
              <div style={{ marginTop: 12 }} data-testid="order-contract">
                {t("nav.contracts")}: <Link to={`/contracts/${order.contractId}`}>{contract?.contractNumber || order.contractId}</Link>{" "}
                {contract && <ContractStatusTag status={contract.status} testId="order-contract-status" />}
              </div>
            )}
          </Card>
          <Card size="small" className="section-card" title={t("ord.timeline")} data-testid="order-timeline">
            <Timeline
              items={order.history.map((h, i) => ({
                key: i,
                color: h.status === OrderStatus.REJECTED || h.status === OrderStatus.CANCELLED ? "red" : h.status === OrderStatus.CONTRACT_EFFECTIVE ? "green" : "blue",
                content: (
                  <div data-testid="order-event" data-status={OrderStatus[h.status]}>
                    <OrderStatusTag status={h.status} testId="order-event-status" />
                    <span className="small muted">{formatTime(h.at)}</span>
                    <div className="small">{h.actorUserId === "system" ? t("ord.system") : h.actorName}</div>
                    {h.comment && <div className="plain-text small" data-testid="order-event-comment">{h.comment}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <ReasonModal
        open={!!dp}
        title={dp?.title ?? ""}
        okText={dp?.ok ?? ""}
        required={dp?.required}
        danger={dp?.danger}
        placeholder={dialog === "approve" ? t("ord.commentOptional") : undefined}
        onClose={() => setDialog(null)}
        onOk={async (r) => {
          if (dp) await dp.run(r);
        }}
      />
    </>
  );
}
