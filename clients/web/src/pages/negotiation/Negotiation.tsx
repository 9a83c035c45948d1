import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert, App, Button, Card, Col, Empty, Popconfirm, Result, Row, Select, Space, Spin, Table, Tag, Timeline, Typography } from "antd";
import { CheckOutlined, CloseOutlined, DiffOutlined, EditOutlined, ProfileOutlined, RollbackOutlined, ShoppingCartOutlined, SwapOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Link, useParams } from "react-router";
import { negotiationClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { ReasonModal } from "../../components/ReasonModal";
import { ChatPane } from "../../components/negotiation/Chat";
import { KIND_COLORS, KIND_KEYS, SIDE_KEYS, ThreadStatusTag, useAttributeFormat } from "../../components/negotiation/labels";
import { KeyTerms, TermsDescriptions, TotalsBox } from "../../components/negotiation/TermsView";
import { LiveBadge } from "../catalog/CatalogSearch";
import { OfferKind, Side, ThreadStatus, type FieldChange, type Offer, type Thread } from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { useInbox } from "../../lib/inbox";
import { formatTime } from "../../lib/labels";
import { formatMoney } from "../../lib/money";
import {
  defaultDiffPair,
  diffFieldLabel,
  latestOffer,
  quoteBaseOffer,
  termsFromValues,
  threadActions,
  valuesFromTerms,
  withQuoteValidity,
  type TermsFormValues,
} from "../../lib/negotiation";
import { useThreadLive } from "../../lib/threadLive";
import { useI18n, type MsgKey } from "../../i18n";
import { OfferDrawer } from "./OfferDrawer";

type DrawerState = { mode: "quote" | "counter"; title: string; submit: string; initial: TermsFormValues } | null;

function OfferHead({ offer, agreed }: { offer: Offer; agreed: boolean }) {
  const { t } = useI18n();
  return (
    <Space size={6} wrap>
      <Tag color={KIND_COLORS[offer.kind]} data-testid="offer-kind">
        {t(KIND_KEYS[offer.kind] ?? "common.none")}
      </Tag>
      <strong data-testid="offer-version">v{offer.version}</strong>
      <span>
        {t(SIDE_KEYS[offer.authorSide] ?? "common.none")} · {offer.authorName}
      </span>
      <span className="muted small">{formatTime(offer.createTime)}</span>
      {offer.expired && (
        <Tag color="warning" data-testid="offer-expired">
          {t("neg.expiredBadge")}
        </Tag>
      )}
      {agreed && (
        <Tag color="success" data-testid="offer-agreed">
          {t("neg.agreedBadge")}
        </Tag>
      )}
    </Space>
  );
}

/** Every version of the terms, newest first; "对比" shows it against the one before. */
function OfferTimeline({ thread, onCompare }: { thread: Thread; onCompare: (from: number, to: number) => void }) {
  const { t } = useI18n();
  const offers = [...thread.offers].reverse();
  return (
    <Card title={t("neg.timeline")} size="small" className="section-card" data-testid="offer-timeline">
      <Timeline
        items={offers.map((o, i) => {
          const previous = offers[i + 1];
          return {
            key: o.version,
            color: o.kind === OfferKind.QUOTE ? "blue" : o.kind === OfferKind.COUNTER_OFFER ? "orange" : "purple",
            content: (
              <div data-testid="offer-item" data-version={o.version} data-kind={OfferKind[o.kind]} data-expired={o.expired ? "1" : "0"}>
                <OfferHead offer={o} agreed={thread.agreedVersion === o.version} />
                <div style={{ marginTop: 4 }}>
                  <KeyTerms terms={o.terms} />
                </div>
                <Space size={12} style={{ marginTop: 2 }}>
                  {o.totals?.totalAmount?.amount && (
                    <span>
                      {t("neg.totals.total")} <strong className="amount" data-testid="offer-total">{formatMoney(o.totals.totalAmount)}</strong>
                    </span>
                  )}
                  {previous && (
                    <Button type="link" size="small" icon={<DiffOutlined />} onClick={() => onCompare(previous.version, o.version)} data-testid="offer-compare">
                      {t("neg.compareWithPrevious")}
                    </Button>
                  )}
                </Space>
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}

/** DiffVersions between two chosen versions (by default the latest against the one before). */
function DiffCard({ thread, pair, onPair, attributeName }: { thread: Thread; pair: [number, number] | null; onPair: (p: [number, number]) => void; attributeName: (k: string) => string }) {
  const { t } = useI18n();
  const [changes, setChanges] = useState<FieldChange[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const versions = thread.offers.map((o) => ({ value: o.version, label: `v${o.version} ${t(KIND_KEYS[o.kind] ?? "common.none")}` }));
  const from = pair?.[0] ?? 0;
  const to = pair?.[1] ?? 0;

  useEffect(() => {
    if (!from || !to || from === to) {
      setChanges(null);
      return;
    }
    let live = true;
    negotiationClient
      .diffVersions({ threadId: thread.threadId, fromVersion: Math.min(from, to), toVersion: Math.max(from, to) })
      .then((r) => {
        if (!live) return;
        setChanges(r.changes);
        setError(null);
      })
      .catch((e) => live && setError(parseError(e)));
    return () => {
      live = false;
    };
  }, [thread.threadId, from, to]);

  const label = (field: string) => {
    const l = diffFieldLabel(field);
    if (l.attribute) return attributeName(l.attribute);
    if (l.key) return `${t(l.key as MsgKey)}${l.index !== undefined ? ` ${l.index + 1}` : ""}`;
    return l.raw ?? field;
  };

  if (thread.offers.length < 2) return null;
  return (
    <Card
      title={t("neg.diff.title")}
      size="small"
      className="section-card"
      data-testid="diff-card"
      extra={
        <Space size={4}>
          <Select size="small" style={{ width: 130 }} value={from || undefined} options={versions} onChange={(v: number) => onPair([v, to])} data-testid="diff-from" />
          <SwapOutlined />
          <Select size="small" style={{ width: 130 }} value={to || undefined} options={versions} onChange={(v: number) => onPair([from, v])} data-testid="diff-to" />
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 8 }} />}
      <Table<FieldChange>
        size="small"
        pagination={false}
        rowKey={(r) => r.field}
        dataSource={changes ?? []}
        loading={changes === null && !error && from !== to}
        data-testid="diff-table"
        locale={{ emptyText: from === to ? t("neg.diff.sameVersion") : t("neg.diff.none") }}
        onRow={(r) => ({ "data-testid": "diff-row", "data-field": r.field }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("neg.diff.field"), key: "field", render: (_, r) => <span data-testid="diff-field">{label(r.field)}</span> },
          { title: `${t("neg.diff.before")} (v${Math.min(from, to)})`, key: "before", render: (_, r) => <span className="diff-before" data-testid="diff-before">{r.before || "—"}</span> },
          { title: `${t("neg.diff.after")} (v${Math.max(from, to)})`, key: "after", render: (_, r) => <span className="diff-after" data-testid="diff-after">{r.after || "—"}</span> },
        ]}
      />
    </Card>
  );
}

/** /negotiations/:threadId — one buyer–seller thread: terms, versions, diff, actions and chat, all live. */
export default function NegotiationPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { threadId = "" } = useParams();
  const live = useThreadLive(threadId);
  const { thread } = live;
  const { markSubjectRead } = useInbox();
  const attrs = useAttributeFormat(thread?.categoryId ?? "");
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [reason, setReason] = useState<"decline" | "withdraw" | null>(null);
  const [accepting, setAccepting] = useState(false);
  const [pair, setPair] = useState<[number, number] | null>(null);
  const [pairChosen, setPairChosen] = useState(false);
  const [, setTick] = useState(0);

  // The open quote lapses at its validity even before the server's EXPIRED event arrives: re-render then.
  const openValidUntil = (() => {
    const o = thread?.openQuoteVersion ? thread.offers.find((x) => x.version === thread.openQuoteVersion) : undefined;
    return o?.terms?.validUntil ? timestampMs(o.terms.validUntil) : 0;
  })();
  useEffect(() => {
    const wait = openValidUntil - Date.now();
    if (!openValidUntil || wait <= 0 || wait > 2 ** 31 - 1) return;
    const timer = window.setTimeout(() => setTick((n) => n + 1), wait + 50);
    return () => window.clearTimeout(timer);
  }, [openValidUntil]);

  const versions = thread?.offers.length ?? 0;
  // The diff follows the newest two versions until the reader picks others.
  useEffect(() => {
    if (thread && !pairChosen) setPair(defaultDiffPair(thread.offers) as [number, number] | null);
  }, [versions, pairChosen]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    setPairChosen(false);
    setPair(null);
  }, [threadId]);

  // Notifications about this thread count as seen while it is on screen (on opening and on each change).
  const status = thread?.status;
  useEffect(() => {
    if (!threadId || !thread || document.visibilityState !== "visible") return;
    const timer = window.setTimeout(() => markSubjectRead(threadId), 800);
    return () => window.clearTimeout(timer);
  }, [threadId, !!thread, versions, status, markSubjectRead]); // eslint-disable-line react-hooks/exhaustive-deps
  const onRead = useCallback(() => markSubjectRead(threadId), [markSubjectRead, threadId]);

  const labels = useMemo(() => {
    const out: Record<string, string> = {};
    for (const o of thread?.offers ?? []) for (const k of Object.keys(o.terms?.attributes ?? {})) out[k] = attrs.label(k);
    return out;
  }, [thread, attrs]);

  if (live.error && !thread)
    return (
      <Result
        status={live.error.code === Code.NotFound ? "404" : "error"}
        title={live.error.code === Code.NotFound ? t("neg.notFound") : live.error.message}
        extra={<Link to="/inquiries">{t("common.back")}</Link>}
      />
    );
  if (!thread) return <Spin style={{ display: "block", margin: 80 }} />;

  const buyer = thread.callerSide === Side.BUYER;
  const actions = threadActions(thread);
  const latest = latestOffer(thread.offers);
  const agreed = thread.agreedVersion ? thread.offers.find((o) => o.version === thread.agreedVersion) : undefined;
  const current = agreed ?? latest;
  const open = thread.openQuoteVersion ? thread.offers.find((o) => o.version === thread.openQuoteVersion) : undefined;
  const openLapsed = !!open && (open.expired || (openValidUntil > 0 && openValidUntil <= Date.now()));
  const counterparty = buyer ? thread.sellerName : thread.buyerName;

  const quoteLabel = t(thread.status === ThreadStatus.AWAITING_QUOTE ? "neg.quote" : thread.status === ThreadStatus.QUOTED ? "neg.reviseQuote" : "neg.requote");

  const openQuote = (acceptCounter: boolean) => {
    const base = quoteBaseOffer(thread.offers, acceptCounter);
    const values = withQuoteValidity({ ...valuesFromTerms(base?.terms, labels), notes: "" }, Date.now());
    const title = acceptCounter ? t("neg.acceptCounter") : quoteLabel;
    setDrawer({ mode: "quote", title, submit: t("neg.sendQuote"), initial: values });
  };
  const openCounter = () => {
    setDrawer({ mode: "counter", title: t("neg.counter"), submit: t("neg.sendCounter"), initial: { ...valuesFromTerms(latest?.terms, labels), validUntil: undefined, notes: "" } });
  };

  const submitOffer = async (v: TermsFormValues) => {
    if (!drawer) return;
    const terms = termsFromValues(v);
    const res =
      drawer.mode === "quote"
        ? await negotiationClient.submitQuote({ threadId, etag: thread.etag, terms })
        : await negotiationClient.counterOffer({ threadId, etag: thread.etag, terms });
    live.applyThread(res.thread);
    setDrawer(null);
    message.success(t(drawer.mode === "quote" ? "neg.quoteSent" : "neg.counterSent"));
  };

  const accept = async () => {
    if (!open) return;
    setAccepting(true);
    try {
      const res = await negotiationClient.acceptQuote({ threadId, version: open.version });
      live.applyThread(res.thread);
      message.success(t("neg.accepted"));
    } catch (e) {
      message.error(parseError(e).message);
    } finally {
      setAccepting(false);
    }
  };

  const closeWithReason = async (why: string) => {
    try {
      if (reason === "decline") {
        const res = await negotiationClient.declineThread({ threadId, reason: why });
        live.applyThread(res.thread);
        message.success(t("neg.declined"));
      } else if (reason === "withdraw" && open) {
        const res = await negotiationClient.withdrawQuote({ threadId, version: open.version, reason: why });
        live.applyThread(res.thread);
        message.success(t("neg.withdrawn"));
      }
      setReason(null);
    } catch (e) {
      message.error(parseError(e).message);
    }
  };

  const statusAlert = (() => {
    switch (thread.status) {
      case ThreadStatus.ACCEPTED:
        return <Alert type="success" showIcon title={t("neg.alert.accepted", { v: thread.agreedVersion, time: formatTime(thread.acceptTime) })} data-testid="status-alert" />;
      case ThreadStatus.DECLINED:
        return <Alert type="info" showIcon title={t("neg.alert.declined")} description={thread.closingReason || undefined} data-testid="status-alert" />;
      case ThreadStatus.WITHDRAWN:
        return <Alert type="warning" showIcon title={t("neg.alert.withdrawn")} description={thread.closingReason || undefined} data-testid="status-alert" />;
      case ThreadStatus.EXPIRED:
        return <Alert type="warning" showIcon title={t("neg.alert.expired")} data-testid="status-alert" />;
      case ThreadStatus.CLOSED:
        return <Alert type="info" showIcon title={t("neg.alert.closed")} data-testid="status-alert" />;
      default:
        return null;
    }
  })();

  const waitingText = (() => {
    const s = thread.status;
    if (buyer && (s === ThreadStatus.AWAITING_QUOTE || s === ThreadStatus.COUNTERED)) return t("neg.waitSeller");
    if (!buyer && s === ThreadStatus.QUOTED) return t("neg.waitBuyer");
    return "";
  })();

  return (
    <>
      <PageHeader
        back={buyer ? "/inquiries" : "/seller/inquiries"}
        title={<span data-testid="thread-title">{latest?.terms?.productName || thread.threadId}</span>}
        sub={
          <Space size={4}>
            <ThreadStatusTag status={thread.status} />
            <LiveBadge state={live.state} />
          </Space>
        }
        extra={
          <Space wrap>
            {thread.rfqId && buyer && (
              <Link to={`/rfqs/${thread.rfqId}`} data-testid="thread-rfq-link">
                {t("neg.rfqCompare")}
              </Link>
            )}
            {thread.status === ThreadStatus.ACCEPTED && buyer && !thread.orderId && (
              <Link to={`/orders/new?thread=${encodeURIComponent(thread.threadId)}`} data-testid="thread-order-now">
                <Button type="primary" icon={<ShoppingCartOutlined />}>
                  {t("ord.orderNow")}
                </Button>
              </Link>
            )}
            {thread.orderId && (
              <Link to={`/orders/${thread.orderId}`} data-testid="thread-order-link">
                <Button icon={<ProfileOutlined />}>{t("ord.viewOrder")}</Button>
              </Link>
            )}
          </Space>
        }
      />
      <div className="thread-parties" data-testid="thread-parties">
        <Tag data-testid="thread-my-side">{t("neg.mySide", { side: t(buyer ? "neg.side.buyer" : "neg.side.seller") })}</Tag>
        {t("neg.counterparty")}: <strong data-testid="thread-counterparty">{counterparty}</strong>
        {thread.listingId && (
          <>
            {" · "}
            <Link to={`/catalog/listings/${thread.listingId}`}>{t("neg.viewListing")}</Link>
          </>
        )}
      </div>
      {statusAlert && <div style={{ marginBottom: 16 }}>{statusAlert}</div>}
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            className="section-card current-offer"
            data-testid="current-offer"
            data-version={current?.version ?? 0}
            data-kind={current ? OfferKind[current.kind] : ""}
            title={current ? <OfferHead offer={current} agreed={thread.agreedVersion === current.version} /> : t("neg.currentOffer")}
          >
            {current ? (
              <Row gutter={16}>
                <Col xs={24} md={16}>
                  <TermsDescriptions terms={current.terms} attributes={attrs} />
                </Col>
                <Col xs={24} md={8}>
                  <TotalsBox totals={current.totals} testId="current-totals" />
                </Col>
              </Row>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
            {waitingText && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} data-testid="waiting-text">
                {waitingText}
              </Typography.Paragraph>
            )}
            <div className="offer-actions" data-testid="offer-actions">
              {actions.accept && open && (
                <Popconfirm
                  title={t("neg.acceptConfirm", { v: open.version, total: formatMoney(open.totals?.totalAmount) })}
                  okText={t("neg.accept")}
                  cancelText={t("common.cancel")}
                  onConfirm={accept}
                  okButtonProps={{ "data-testid": "accept-confirm" } as React.ComponentProps<typeof Button>}
                >
                  <Button type="primary" icon={<CheckOutlined />} loading={accepting} disabled={openLapsed} data-testid="action-accept">
                    {t("neg.accept")}
                  </Button>
                </Popconfirm>
              )}
              {actions.accept && openLapsed && (
                <Tag color="warning" data-testid="open-quote-lapsed">
                  {t("neg.status.expired")}
                </Tag>
              )}
              {actions.counter && (
                <Button icon={<EditOutlined />} onClick={openCounter} data-testid="action-counter">
                  {thread.status === ThreadStatus.COUNTERED ? t("neg.reviseCounter") : t("neg.counter")}
                </Button>
              )}
              {actions.acceptCounter && (
                <Button type="primary" icon={<CheckOutlined />} onClick={() => openQuote(true)} data-testid="action-accept-counter">
                  {t("neg.acceptCounter")}
                </Button>
              )}
              {actions.quote && (
                <Button type={actions.acceptCounter ? "default" : "primary"} icon={<EditOutlined />} onClick={() => openQuote(false)} data-testid="action-quote">
                  {quoteLabel}
                </Button>
              )}
              {actions.withdraw && (
                <Button danger icon={<RollbackOutlined />} onClick={() => setReason("withdraw")} data-testid="action-withdraw">
                  {t("neg.withdraw")}
                </Button>
              )}
              {actions.decline && (
                <Button danger icon={<CloseOutlined />} onClick={() => setReason("decline")} data-testid="action-decline">
                  {t("neg.decline")}
                </Button>
              )}
            </div>
          </Card>
          <DiffCard
            thread={thread}
            pair={pair}
            attributeName={attrs.label}
            onPair={(p) => {
              setPairChosen(true);
              setPair(p);
            }}
          />
          <OfferTimeline
            thread={thread}
            onCompare={(from, to) => {
              setPairChosen(true);
              setPair([from, to]);
            }}
          />
        </Col>
        <Col xs={24} xl={10}>
          <div className="sticky-chat">
            <ChatPane live={live} thread={thread} onRead={onRead} />
          </div>
        </Col>
      </Row>
      <OfferDrawer
        open={!!drawer}
        mode={drawer?.mode ?? "quote"}
        title={drawer?.title ?? ""}
        submitText={drawer?.submit ?? ""}
        initial={drawer?.initial ?? {}}
        onClose={() => setDrawer(null)}
        onSubmit={submitOffer}
        attributeText={attrs.text}
      />
      <ReasonModal
        open={reason !== null}
        title={t(reason === "withdraw" ? "neg.withdraw" : "neg.decline")}
        okText={t(reason === "withdraw" ? "neg.withdraw" : "neg.decline")}
        onClose={() => setReason(null)}
        onOk={closeWithReason}
      />
    </>
  );
}
