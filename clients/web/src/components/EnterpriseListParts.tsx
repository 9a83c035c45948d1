import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { Button, Card, Empty, Select, Space, Tabs } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useSearchParams, type NavigateFunction } from "react-router";
import type { Enterprise } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { useInboxNotifications } from "../lib/inbox";
import { usePagedList, type Page } from "../lib/usePagedList";
import { parseError, type ApiError } from "../api/errors";
import { useI18n } from "../i18n";
import { PageHeader } from "./PageHeader";
import { LiveBadge } from "../pages/catalog/CatalogSearch";
import type { WatchState } from "../lib/live";

// The parts shared by the pages that list one of the caller's enterprises' threads, orders or listings.

/** Reads the first page again when a notification about one of the caller's subjects (ids starting with `prefixes`) arrives, once per burst. */
function useReloadOnNotifications(active: boolean, prefixes: readonly string[], reload: () => void): void {
  const timer = useRef<number | undefined>(undefined);
  useInboxNotifications((n) => {
    // A read one is the echo of marking it read: nothing changed on the subject.
    if (!active || n.read || !prefixes.some((p) => n.subjectId.startsWith(p))) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(reload, 300);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
}

/**
 * The state of a page listing one of the caller's enterprises' subjects by status: the enterprise and status in the
 * URL (`?enterprise=…&status=…`; the first of `mine` by default), the list read page by page, reloaded when a
 * notification about a subject starting with one of `subjectPrefixes` arrives. `statusParam` null keeps the status out
 * of the URL (a page with a fixed status). `fetchPage` must be stable (useCallback).
 */
export function useEnterpriseList<S extends number, T>({
  mine,
  parseStatus,
  statusParam,
  fetchPage,
  subjectPrefixes,
}: {
  mine: Enterprise[];
  parseStatus: (param: string | null) => S;
  statusParam: ((s: S) => string) | null;
  fetchPage: (pageToken: string, enterpriseId: string, status: S) => Promise<Page<T>>;
  subjectPrefixes: readonly string[];
}) {
  const [params, setParams] = useSearchParams();
  const enterpriseId = params.get("enterprise") || mine[0]?.enterpriseId || "";
  const status = parseStatus(params.get("status"));
  const [listError, setListError] = useState<ApiError | null>(null);
  const { items, next, loading, load } = usePagedList(
    useCallback(
      async (pageToken: string, ent: string, st: S) => {
        setListError(null);
        try {
          return await fetchPage(pageToken, ent, st);
        } catch (e) {
          setListError(parseError(e));
          return { items: [] as T[], nextPageToken: "" };
        }
      },
      [fetchPage],
    ),
  );

  useEffect(() => {
    if (enterpriseId) void load("", enterpriseId, status);
  }, [load, enterpriseId, status]);

  const reload = () => {
    if (enterpriseId) void load("", enterpriseId, status);
  };
  // Something happened on one of the caller's subjects: read the first page again (once per burst).
  useReloadOnNotifications(!!enterpriseId, subjectPrefixes, reload);

  const setQuery = (ent: string, st: S | 0) => {
    const p = new URLSearchParams();
    if (ent) p.set("enterprise", ent);
    if (st && statusParam) p.set("status", statusParam(st as S));
    setParams(p, { replace: true });
  };

  return {
    enterpriseId,
    status,
    items,
    next,
    loading,
    listError,
    loadMore: (pageToken: string) => void load(pageToken, enterpriseId, status),
    setQuery,
    reload,
  };
}

/** The page when the caller has no enterprise that may see this list: a pointer to 我的企业. */
export function NoEnterprisePage({ title, description, testId, navigate }: { title: string; description: string; testId: string; navigate: NavigateFunction }) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <Empty description={description} data-testid={testId}>
          <Button type="primary" onClick={() => navigate("/enterprises")}>
            {t("nav.myEnterprises")}
          </Button>
        </Empty>
      </Card>
    </>
  );
}

/**
 * A list page's header: its title with the live-updates badge, and the enterprise picker and the refresh button
 * (`${testIdPrefix}-enterprise`, `${testIdPrefix}-refresh`) followed by any page actions (`children`).
 */
export function EnterpriseListHeader({
  title,
  live,
  enterprises,
  loading,
  value,
  onChange,
  onRefresh,
  testIdPrefix,
  children,
}: {
  title: ReactNode;
  live: WatchState;
  enterprises: Enterprise[];
  loading: boolean;
  value: string;
  onChange: (enterpriseId: string) => void;
  onRefresh: () => void;
  testIdPrefix: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <PageHeader
      title={title}
      sub={<LiveBadge state={live} />}
      extra={
        <Space wrap>
          <Select
            style={{ minWidth: 260 }}
            value={value || undefined}
            loading={loading}
            onChange={onChange}
            options={enterprises.map((e) => ({ value: e.enterpriseId, label: e.profile?.legalName ?? e.enterpriseId }))}
            data-testid={`${testIdPrefix}-enterprise`}
          />
          <Button icon={<ReloadOutlined />} onClick={onRefresh} data-testid={`${testIdPrefix}-refresh`}>
            {t("common.refresh")}
          </Button>
          {children}
        </Space>
      }
    />
  );
}

/** 全部 plus one tab per status (`${testIdPrefix}-status-all`, `${testIdPrefix}-status-<param>`); 0 is "all". */
export function StatusTabs<S extends number>({
  statuses,
  active,
  param,
  label,
  onChange,
  testIdPrefix,
}: {
  statuses: readonly S[];
  active: S;
  param: (s: S) => string;
  label: (s: S) => ReactNode;
  onChange: (s: S | 0) => void;
  testIdPrefix: string;
}) {
  const { t } = useI18n();
  return (
    <Tabs
      activeKey={active ? param(active) : "all"}
      onChange={(k) => onChange(statuses.find((s) => param(s) === k) ?? 0)}
      items={[
        { key: "all", label: <span data-testid={`${testIdPrefix}-status-all`}>{t("seller.status.all")}</span> },
        ...statuses.map((s) => ({ key: param(s), label: <span data-testid={`${testIdPrefix}-status-${param(s)}`}>{label(s)}</span> })),
      ]}
    />
  );
}

/** Table row props: test attributes, and a click anywhere but a link or button opens `href`. */
export function linkedRow(attributes: Record<string, string>, href: string, navigate: NavigateFunction): React.HTMLAttributes<HTMLElement> {
  return {
    ...attributes,
    onClick: (e: React.MouseEvent) => {
      if (!(e.target as HTMLElement).closest("a,button")) navigate(href);
    },
    style: { cursor: "pointer" },
  } as React.HTMLAttributes<HTMLElement>;
}
