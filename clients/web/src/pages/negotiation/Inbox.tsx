import { useCallback, useEffect, useState } from "react";
import { App, Badge, Button, Card, Empty, List, Space, Switch, Tag, Typography } from "antd";
import { CheckOutlined, ReloadOutlined } from "@ant-design/icons";
import { useNavigate, useSearchParams } from "react-router";
import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { inboxClient } from "../../api/client";
import { parseError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { LiveBadge } from "../catalog/CatalogSearch";
import { NotificationKind, type Notification } from "../../gen/b2btrade/inbox/v1/inbox_service_pb";
import { useInbox, useInboxNotifications } from "../../lib/inbox";
import { formatTime } from "../../lib/labels";
import { LoadMore, usePagedList } from "../../lib/usePagedList";
import { useI18n, type MsgKey } from "../../i18n";

const KIND_KEYS: Record<NotificationKind, MsgKey> = {
  [NotificationKind.UNSPECIFIED]: "inbox.kind.other",
  [NotificationKind.NEW_INQUIRY]: "inbox.kind.newInquiry",
  [NotificationKind.NEW_QUOTE]: "inbox.kind.newQuote",
  [NotificationKind.COUNTER_OFFER]: "inbox.kind.counter",
  [NotificationKind.MESSAGE]: "inbox.kind.message",
  [NotificationKind.QUOTE_EXPIRING]: "inbox.kind.expiring",
  [NotificationKind.QUOTE_EXPIRED]: "inbox.kind.expired",
  [NotificationKind.QUOTE_ACCEPTED]: "inbox.kind.accepted",
  [NotificationKind.THREAD_DECLINED]: "inbox.kind.declined",
  [NotificationKind.QUOTE_WITHDRAWN]: "inbox.kind.withdrawn",
  [NotificationKind.RFQ_AWARDED]: "inbox.kind.awarded",
  [NotificationKind.NEW_ORDER]: "inbox.kind.newOrder",
  [NotificationKind.ORDER_APPROVAL_REQUIRED]: "inbox.kind.approvalRequired",
  [NotificationKind.ORDER_APPROVED]: "inbox.kind.orderApproved",
  [NotificationKind.ORDER_CONFIRMED]: "inbox.kind.orderConfirmed",
  [NotificationKind.ORDER_REJECTED]: "inbox.kind.orderRejected",
  [NotificationKind.ORDER_CANCELLED]: "inbox.kind.orderCancelled",
  [NotificationKind.ORDER_EXPIRED]: "inbox.kind.orderExpired",
  [NotificationKind.CONTRACT_TO_SIGN]: "inbox.kind.contractToSign",
  [NotificationKind.CONTRACT_EFFECTIVE]: "inbox.kind.contractEffective",
};

const KIND_COLORS: Partial<Record<NotificationKind, string>> = {
  [NotificationKind.NEW_INQUIRY]: "purple",
  [NotificationKind.NEW_QUOTE]: "blue",
  [NotificationKind.COUNTER_OFFER]: "orange",
  [NotificationKind.MESSAGE]: "cyan",
  [NotificationKind.QUOTE_EXPIRING]: "gold",
  [NotificationKind.QUOTE_EXPIRED]: "warning",
  [NotificationKind.QUOTE_ACCEPTED]: "success",
  [NotificationKind.RFQ_AWARDED]: "success",
  [NotificationKind.NEW_ORDER]: "purple",
  [NotificationKind.ORDER_APPROVAL_REQUIRED]: "gold",
  [NotificationKind.ORDER_APPROVED]: "blue",
  [NotificationKind.ORDER_CONFIRMED]: "success",
  [NotificationKind.ORDER_REJECTED]: "error",
  [NotificationKind.ORDER_EXPIRED]: "warning",
  [NotificationKind.CONTRACT_TO_SIGN]: "geekblue",
  [NotificationKind.CONTRACT_EFFECTIVE]: "success",
};

function sameTime(a: Timestamp | undefined, b: Timestamp | undefined): boolean {
  return (a ? timestampMs(a) : 0) === (b ? timestampMs(b) : 0);
}

/** Where a notification leads (a negotiation thread, an RFQ, an order, a contract), or "" when it links nowhere the app knows. */
export function subjectPath(subjectId: string): string {
  if (subjectId.startsWith("thr_")) return `/negotiations/${subjectId}`;
  if (subjectId.startsWith("rfq_")) return `/rfqs/${subjectId}`;
  if (subjectId.startsWith("ord_")) return `/orders/${subjectId}`;
  if (subjectId.startsWith("ctr_")) return `/contracts/${subjectId}`;
  return "";
}

/** /inbox — 消息中心: the caller's notifications, newest first, live; read one, read all, open its thread. */
export default function InboxPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get("unread") === "1";
  const { unread, setUnread, state } = useInbox();
  const [patched, setPatched] = useState<Record<string, Notification>>({});
  const [arrived, setArrived] = useState<Notification[]>([]);

  const { items, next, loading, load } = usePagedList(
    useCallback(async (pageToken: string, onlyUnread: boolean) => {
      const res = await inboxClient.listNotifications({ unreadOnly: onlyUnread, pageSize: 20, pageToken });
      setUnread(Number(res.unreadCount));
      return { items: res.notifications, nextPageToken: res.nextPageToken };
    }, [setUnread]),
  );

  useEffect(() => {
    setPatched({});
    setArrived([]);
    void load("", unreadOnly);
  }, [load, unreadOnly]);

  // New notifications go on top; an updated one (another message on the same thread) moves up with its new count.
  // One that only changed its read state (marked read here or on another device) stays where it is.
  useInboxNotifications((n) => {
    const shown = [...arrived, ...items].find((x) => x.notificationId === n.notificationId);
    if (shown && sameTime(shown.createTime, n.createTime) && shown.count === n.count) {
      setPatched((p) => ({ ...p, [n.notificationId]: n }));
      return;
    }
    setPatched((p) => {
      const { [n.notificationId]: _dropped, ...rest } = p;
      return rest;
    });
    setArrived((prev) => [n, ...prev.filter((x) => x.notificationId !== n.notificationId)]);
  });

  const arrivedIds = new Set(arrived.map((n) => n.notificationId));
  const rows = [...arrived, ...items.filter((n) => !arrivedIds.has(n.notificationId))]
    .map((n) => patched[n.notificationId] ?? n)
    .filter((n) => !unreadOnly || !n.read || patched[n.notificationId]);

  const markRead = async (ids: string[], all = false) => {
    try {
      const res = await inboxClient.markNotificationsRead({ notificationIds: all ? [] : ids, all });
      setUnread(Number(res.unreadCount));
      const targets = all ? rows : rows.filter((n) => ids.includes(n.notificationId));
      setPatched((p) => ({ ...p, ...Object.fromEntries(targets.map((n) => [n.notificationId, { ...n, read: true } as Notification])) }));
    } catch (e) {
      message.error(parseError(e).message);
    }
  };

  const open = (n: Notification) => {
    if (!n.read) void markRead([n.notificationId]);
    const path = subjectPath(n.subjectId);
    if (path) navigate(path);
  };

  return (
    <>
      <PageHeader
        title={t("nav.inbox")}
        sub={
          <Space size={4}>
            <Badge count={unread ?? 0} showZero={false} data-testid="inbox-page-unread" />
            <LiveBadge state={state} />
          </Space>
        }
        extra={
          <Space>
            <span>
              <Switch size="small" checked={unreadOnly} onChange={(v) => setParams(v ? { unread: "1" } : {}, { replace: true })} data-testid="inbox-unread-only" />{" "}
              {t("inbox.unreadOnly")}
            </span>
            <Button icon={<ReloadOutlined />} onClick={() => void load("", unreadOnly)}>
              {t("common.refresh")}
            </Button>
            <Button icon={<CheckOutlined />} disabled={!unread} onClick={() => void markRead([], true)} data-testid="inbox-read-all">
              {t("inbox.readAll")}
            </Button>
          </Space>
        }
      />
      <Card>
        <List<Notification>
          loading={loading && rows.length === 0}
          dataSource={rows}
          data-testid="inbox-list"
          locale={{ emptyText: <Empty description={t(unreadOnly ? "inbox.emptyUnread" : "inbox.empty")} /> }}
          renderItem={(n) => (
            <List.Item
              className={`inbox-item ${n.read ? "" : "inbox-unread"}`}
              data-testid="inbox-item"
              data-kind={NotificationKind[n.kind]}
              data-read={n.read ? "1" : "0"}
              data-subject={n.subjectId}
              actions={
                n.read
                  ? []
                  : [
                      <Button key="read" type="link" size="small" onClick={() => void markRead([n.notificationId])} data-testid="inbox-mark-read">
                        {t("inbox.markRead")}
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                avatar={<Badge dot={!n.read} />}
                title={
                  <a onClick={() => open(n)} data-testid="inbox-item-title">
                    <Tag color={KIND_COLORS[n.kind]}>{t(KIND_KEYS[n.kind] ?? "inbox.kind.other")}</Tag>
                    {n.title}
                    {n.count > 1 && (
                      <Tag style={{ marginLeft: 6 }} data-testid="inbox-item-count">
                        ×{n.count}
                      </Tag>
                    )}
                  </a>
                }
                description={
                  <>
                    {n.body && <div className="plain-text">{n.body}</div>}
                    <Typography.Text type="secondary" className="small">
                      {formatTime(n.createTime)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
        <LoadMore next={next} onLoad={(tok) => load(tok, unreadOnly)} />
      </Card>
    </>
  );
}
