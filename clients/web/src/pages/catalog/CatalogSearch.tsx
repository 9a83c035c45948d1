import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert, App, Breadcrumb, Button, Card, Checkbox, Empty, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { CheckOutlined, ClearOutlined, FileAddOutlined, LeftOutlined, RightOutlined, ShopOutlined, UnorderedListOutlined, WifiOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { catalogClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { CategoryMenu } from "../../components/CategoryMenu";
import { DebouncedInput, Flash, ListingStatusTag, priceRangeText } from "../../components/ListingBits";
import { ListingStatus, type Listing, type SearchListingsResponse } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import {
  CITY_FACET_KEY,
  SORT_KEYS,
  activeFilterCount,
  filtersFromParams,
  filtersToParams,
  searchRequest,
  toggleValue,
  validBound,
  validPrice,
  withAttribute,
  withCategory,
  withFilters,
  withRange,
  type CatalogFilters,
  type SortKey,
} from "../../lib/catalogQuery";
import { KIND, attributeLabel, categoryName, facetOnlyAttributes, filterAttributes, optionLabel, pathTo, type AttributeLike } from "../../lib/categories";
import { SORT_ENUM, useCategories, useListingWatch, useMyEnterprises, type Tree, type WatchState } from "../../lib/catalogData";
import { buyerEnterprises } from "../../lib/negotiation";
import { rfqCart, useRfqCart } from "../../lib/rfqCart";
import { formatTonnes, sameDecimal } from "../../lib/decimal";
import { formatTime } from "../../lib/labels";
import { useI18n, type MsgKey } from "../../i18n";

const PAGE_SIZE = 20;

const SORT_LABELS: Record<SortKey, MsgKey> = {
  updated: "catalog.sort.updated",
  price_asc: "catalog.sort.priceAsc",
  price_desc: "catalog.sort.priceDesc",
  stock: "catalog.sort.stock",
};

type Counts = Map<string, Map<string, number>>;

function facetCounts(res: SearchListingsResponse | null): Counts {
  const out: Counts = new Map();
  for (const f of res?.facets ?? []) out.set(f.key, new Map(f.values.map((v) => [v.value, Number(v.count)])));
  return out;
}

/** Values of a facet with their counts, selected values first kept even when nothing matches them now. */
function facetValues(counts: Map<string, number> | undefined, selected: string[]): { value: string; count: number }[] {
  const list = [...(counts ?? new Map<string, number>()).entries()].map(([value, count]) => ({ value, count }));
  for (const s of selected) if (!counts?.has(s)) list.push({ value: s, count: 0 });
  return list;
}

interface Highlight {
  price?: number;
  stock?: number;
}

/** Merges a WatchListings update into a result row; reports which shown figures changed. */
function mergeLive(row: Listing, l: Listing): { row: Listing; price: boolean; stock: boolean } {
  if (l.status === ListingStatus.DELISTED) return { row: { ...row, status: ListingStatus.DELISTED }, price: false, stock: false };
  const price = !sameDecimal(row.displayPrice?.amount, l.displayPrice?.amount) || !sameDecimal(row.displayPriceMax?.amount, l.displayPriceMax?.amount);
  const stock = !sameDecimal(row.spec?.stockTonnes?.value, l.spec?.stockTonnes?.value);
  const spec = row.spec && l.spec ? { ...row.spec, name: l.spec.name || row.spec.name, stockTonnes: l.spec.stockTonnes, moqTonnes: l.spec.moqTonnes ?? row.spec.moqTonnes } : row.spec;
  return {
    row: {
      ...row,
      status: l.status || row.status,
      displayPrice: l.displayPrice ?? row.displayPrice,
      displayPriceMax: l.displayPriceMax ?? row.displayPriceMax,
      keySpecs: l.keySpecs.length ? l.keySpecs : row.keySpecs,
      updateTime: l.updateTime ?? row.updateTime,
      spec,
    },
    price,
    stock,
  };
}

export function LiveBadge({ state }: { state: WatchState }) {
  const { t } = useI18n();
  if (state === "idle" || state === "off") return null;
  const live = state === "live";
  return (
    <Tooltip title={t(live ? "catalog.liveHint" : "catalog.reconnecting")}>
      <Tag color={live ? "green" : "orange"} icon={<WifiOutlined />} data-testid="live-badge" data-state={state}>
        {t(live ? "catalog.live" : "catalog.reconnecting")}
      </Tag>
    </Tooltip>
  );
}

function FacetGroup({
  testKey,
  label,
  values,
  selected,
  renderLabel,
  onChange,
}: {
  testKey: string;
  label: string;
  values: { value: string; count: number }[];
  selected: string[];
  renderLabel: (value: string) => string;
  onChange: (values: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="filter-row" data-testid={`filter-${testKey}`}>
      <div className="filter-label">{label}</div>
      <div className="filter-values">
        {values.length === 0 && <Typography.Text type="secondary">{t("catalog.noValues")}</Typography.Text>}
        {values.map(({ value, count }) => {
          const checked = selected.includes(value);
          return (
            <Checkbox
              key={value}
              checked={checked}
              className={count === 0 && !checked ? "facet-empty" : undefined}
              data-testid={`facet-${testKey}-${value}`}
              onChange={(e) => onChange(toggleValue(selected, value, e.target.checked))}
            >
              {renderLabel(value)}
              <span className="facet-count" data-testid={`facet-count-${testKey}-${value}`}>
                {count}
              </span>
            </Checkbox>
          );
        })}
      </div>
    </div>
  );
}

function RangeRow({
  testKey,
  label,
  bounds,
  valid,
  onChange,
}: {
  testKey: string;
  label: string;
  bounds: { min: string; max: string };
  valid: (v: string) => boolean;
  onChange: (b: { min: string; max: string }) => void;
}) {
  const { t } = useI18n();
  // The latest bounds, so two quick edits (min then max) do not undo each other.
  const current = useRef(bounds);
  current.current = bounds;
  return (
    <div className="filter-row" data-testid={`filter-${testKey}`}>
      <div className="filter-label">{label}</div>
      <div className="filter-values">
        <Space size={6}>
          <DebouncedInput
            value={bounds.min}
            onCommit={(min) => onChange({ ...current.current, min })}
            invalid={(v) => !valid(v)}
            placeholder={t("catalog.min")}
            style={{ width: 110 }}
            allowClear
            data-testid={`range-${testKey}-min`}
          />
          <span>–</span>
          <DebouncedInput
            value={bounds.max}
            onCommit={(max) => onChange({ ...current.current, max })}
            invalid={(v) => !valid(v)}
            placeholder={t("catalog.max")}
            style={{ width: 110 }}
            allowClear
            data-testid={`range-${testKey}-max`}
          />
        </Space>
      </div>
    </div>
  );
}

function Filters({ tree, filters, res, onChange }: { tree: Tree; filters: CatalogFilters; res: SearchListingsResponse | null; onChange: (f: CatalogFilters, replace?: boolean) => void }) {
  const { t, lang } = useI18n();
  const counts = useMemo(() => facetCounts(res), [res]);
  const cityCounts = counts.get(CITY_FACET_KEY);
  const schema = filterAttributes(tree, filters.category);
  const extra = facetOnlyAttributes(tree, filters.category, [...counts.keys()]);
  const enums: AttributeLike[] = [...schema.filter((a) => a.kind === KIND.ENUM), ...extra];
  const numbers = schema.filter((a) => a.kind === KIND.NUMBER);

  return (
    <Card className="section-card filter-card" size="small" data-testid="filter-panel">
      {enums.map((a) => {
        const c = counts.get(a.key);
        // Every option of the schema, in schema order, with its count (0 when nothing matches it now).
        const values = a.options.length
          ? [...a.options.map((o) => ({ value: o.value, count: c?.get(o.value) ?? 0 })), ...facetValues(c, []).filter((v) => !a.options.some((o) => o.value === v.value))]
          : facetValues(c, filters.attrs[a.key] ?? []);
        return (
          <FacetGroup
            key={a.key}
            testKey={a.key}
            label={attributeLabel(a, lang)}
            values={values}
            selected={filters.attrs[a.key] ?? []}
            renderLabel={(v) => optionLabel(a, v, lang)}
            onChange={(vals) => onChange(withAttribute(filters, a.key, vals))}
          />
        );
      })}
      {numbers.map((a) => (
        <RangeRow
          key={a.key}
          testKey={a.key}
          label={`${attributeLabel(a, lang)}${a.unit ? ` (${a.unit})` : ""}`}
          bounds={filters.ranges[a.key] ?? { min: "", max: "" }}
          valid={validBound}
          onChange={(b) => onChange(withRange(filters, a.key, b), true)}
        />
      ))}
      <RangeRow
        testKey="price"
        label={t("catalog.priceRange")}
        bounds={{ min: filters.priceMin, max: filters.priceMax }}
        valid={validPrice}
        onChange={(b) => onChange(withFilters(filters, { priceMin: b.min.replace(/,/g, ""), priceMax: b.max.replace(/,/g, "") }), true)}
      />
      <FacetGroup
        testKey="origin"
        label={t("listing.origin")}
        values={facetValues(counts.get("origin"), filters.origins)}
        selected={filters.origins}
        renderLabel={(v) => v}
        onChange={(origins) => onChange(withFilters(filters, { origins }))}
      />
      <FacetGroup
        testKey="city"
        label={t("listing.warehouseCity")}
        values={facetValues(cityCounts, filters.cities)}
        selected={filters.cities}
        renderLabel={(v) => v}
        onChange={(cities) => onChange(withFilters(filters, { cities }))}
      />
    </Card>
  );
}

export default function CatalogSearchPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const queryKey = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(queryKey)), [queryKey]);
  const { tree, error: treeError } = useCategories();
  const { message } = App.useApp();
  const { enterprises } = useMyEnterprises();
  const cart = useRfqCart();
  const canBuy = buyerEnterprises(enterprises ?? []).length > 0;
  const own = new Set((enterprises ?? []).map((e) => e.enterpriseId));
  const [res, setRes] = useState<SearchListingsResponse | null>(null);
  const [rows, setRows] = useState<Listing[]>([]);
  const [highlight, setHighlight] = useState<Record<string, Highlight>>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const seq = useRef(0);
  const rowsRef = useRef<Listing[]>([]);
  rowsRef.current = rows;

  const change = useCallback(
    (next: CatalogFilters, replace = false) => setParams(filtersToParams(next), { replace }),
    [setParams],
  );

  // Every filter change runs the search at once; only the latest request's answer is shown.
  useEffect(() => {
    const mine = ++seq.current;
    const controller = new AbortController();
    const f = filtersFromParams(new URLSearchParams(queryKey));
    setLoading(true);
    catalogClient
      .searchListings({ ...searchRequest(f, PAGE_SIZE), sort: SORT_ENUM[f.sort] }, { signal: controller.signal })
      .then((r) => {
        if (mine !== seq.current) return;
        setRes(r);
        setRows(r.listings);
        setHighlight({});
        setError(null);
      })
      .catch((e) => {
        if (mine !== seq.current || controller.signal.aborted) return;
        const err = parseError(e);
        // A page token from an older query (or an edited URL): start again from the first page.
        if (err.code === Code.InvalidArgument && f.pages.length && err.fieldViolations.some((v) => v.field === "page_token")) {
          setParams(filtersToParams({ ...f, pages: [] }), { replace: true });
          return;
        }
        setError(err);
        setRes(null);
        setRows([]);
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
    return () => controller.abort();
  }, [queryKey, setParams]);

  const ids = useMemo(() => rows.map((r) => r.listingId), [rows]);
  // Ids of the page on screen, not of every merged update: the stream restarts only when the page changes.
  const watchIds = useMemo(() => ids, [ids.join(",")]); // eslint-disable-line react-hooks/exhaustive-deps
  const watch = useListingWatch(watchIds, (l) => {
    const current = rowsRef.current.find((r) => r.listingId === l.listingId);
    if (!current) return;
    const merged = mergeLive(current, l);
    setRows((prev) => prev.map((r) => (r.listingId === l.listingId ? mergeLive(r, l).row : r)));
    if (merged.price || merged.stock) {
      const now = Date.now();
      setHighlight((h) => ({
        ...h,
        [l.listingId]: { price: merged.price ? now : h[l.listingId]?.price, stock: merged.stock ? now : h[l.listingId]?.stock },
      }));
    }
  });

  const path = tree ? pathTo(tree, filters.category) : [];
  const categoryFacet = res?.facets.find((f) => f.key === "category");
  const page = filters.pages.length + 1;

  return (
    <>
      <PageHeader
        title={t("catalog.title")}
        extra={
          <Space>
            {cart.length > 0 && (
              <Button type="primary" ghost icon={<UnorderedListOutlined />} onClick={() => navigate("/rfqs/new")} data-testid="rfq-cart-open">
                {t("rfq.cart", { n: cart.length })}
              </Button>
            )}
            <Button icon={<ShopOutlined />} onClick={() => navigate("/seller/listings")} data-testid="go-my-listings">
              {t("nav.myListings")}
            </Button>
          </Space>
        }
      />
      {treeError && <Alert type="error" showIcon title={treeError.message} style={{ marginBottom: 16 }} />}
      <Card className="section-card" size="small">
        <div className="catalog-bar">
          {tree && <CategoryMenu tree={tree} onSelect={(id) => change(withCategory(filters, id))} />}
          <Breadcrumb
            data-testid="category-breadcrumb"
            items={[
              {
                key: "all",
                title: (
                  <a data-testid="crumb-all" onClick={() => change(withCategory(filters, ""))}>
                    {t("cat.all")}
                  </a>
                ),
              },
              ...path.map((c) => ({
                key: c.categoryId,
                title: (
                  <a data-testid={`crumb-${c.categoryId}`} onClick={() => change(withCategory(filters, c.categoryId))}>
                    {categoryName(c, lang)}
                  </a>
                ),
              })),
            ]}
          />
          <DebouncedInput
            className="catalog-keyword"
            value={filters.keyword}
            onCommit={(q) => change(withFilters(filters, { keyword: q }), true)}
            placeholder={t("catalog.keywordPlaceholder")}
            allowClear
            data-testid="catalog-keyword"
            maxLength={100}
          />
        </div>
        {tree && categoryFacet && categoryFacet.values.length > 0 && (
          <div className="subcat-row" data-testid="subcategories">
            {categoryFacet.values.map((v) => (
              <Tag.CheckableTag key={v.value} checked={false} onChange={() => change(withCategory(filters, v.value))} data-testid={`subcat-${v.value}`}>
                {categoryName(tree.byId.get(v.value), lang) || v.value}
                <span className="facet-count">{String(v.count)}</span>
              </Tag.CheckableTag>
            ))}
          </div>
        )}
      </Card>

      {tree && <Filters tree={tree} filters={filters} res={res} onChange={change} />}

      <Card size="small" className="section-card">
        <div className="panel-toolbar">
          <Space wrap>
            <span data-testid="result-total" data-total={res ? String(res.totalCount) : ""}>
              {res ? t("catalog.total", { n: String(res.totalCount) }) : t("common.loading")}
            </span>
            <LiveBadge state={watch} />
            {activeFilterCount(filters) > 0 && (
              <Button size="small" icon={<ClearOutlined />} onClick={() => change({ ...filtersFromParams(new URLSearchParams()), category: filters.category, sort: filters.sort })} data-testid="filters-clear">
                {t("catalog.clearFilters")}
              </Button>
            )}
          </Space>
          <Space>
            <span className="muted">{t("catalog.sortBy")}</span>
            <Select<SortKey>
              value={filters.sort}
              style={{ width: 160 }}
              onChange={(sort) => change(withFilters(filters, { sort }))}
              options={SORT_KEYS.map((k) => ({ value: k, label: t(SORT_LABELS[k]) }))}
              data-testid="catalog-sort"
            />
          </Space>
        </div>
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} data-testid="search-error" />}
        <Table<Listing>
          rowKey="listingId"
          size="middle"
          loading={loading}
          dataSource={rows}
          pagination={false}
          data-testid="listing-table"
          rowClassName={(r) => (r.status === ListingStatus.DELISTED ? "row-delisted" : "")}
          onRow={(r) =>
            ({ "data-testid": "listing-row", "data-listing-id": r.listingId, "data-status": ListingStatus[r.status] }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: <Empty description={t("catalog.empty")} /> }}
          columns={[
            {
              title: t("listing.product"),
              key: "name",
              render: (_, r) => (
                <div className="listing-cell">
                  <Link
                    to={`/catalog/listings/${r.listingId}`}
                    state={{ back: location.pathname + location.search }}
                    className="strong-link"
                    data-testid="row-name"
                  >
                    {r.spec?.name}
                  </Link>
                  {r.status === ListingStatus.DELISTED && <ListingStatusTag status={r.status} />}
                  <div className="key-specs">
                    {r.spec?.brand && !r.keySpecs.includes(r.spec.brand) && <Tag color="blue">{r.spec.brand}</Tag>}
                    {r.keySpecs.map((k, i) => (
                      <Tag key={i}>{k}</Tag>
                    ))}
                  </div>
                </div>
              ),
            },
            {
              title: t("listing.priceHeader"),
              key: "price",
              align: "right",
              render: (_, r) => (
                <Flash at={highlight[r.listingId]?.price} testId="row-price">
                  <span className="amount price-text">{priceRangeText(r)}</span>
                </Flash>
              ),
            },
            {
              title: t("listing.stockHeader"),
              key: "stock",
              align: "right",
              render: (_, r) => (
                <Flash at={highlight[r.listingId]?.stock} testId="row-stock">
                  <span className="amount">{formatTonnes(r.spec?.stockTonnes?.value)}</span>
                </Flash>
              ),
            },
            { title: t("listing.moqHeader"), key: "moq", align: "right", render: (_, r) => <span className="amount">{formatTonnes(r.spec?.moqTonnes?.value)}</span> },
            {
              title: t("listing.seller"),
              key: "seller",
              render: (_, r) => (
                <div>
                  <div data-testid="row-seller">{r.sellerName || "—"}</div>
                  <Typography.Text type="secondary" className="small" data-testid="row-city">
                    {r.spec?.warehouseCity}
                  </Typography.Text>
                </div>
              ),
            },
            { title: t("common.updatedAt"), key: "updated", render: (_, r) => <span className="small">{formatTime(r.updateTime)}</span> },
            ...(canBuy
              ? [
                  {
                    title: t("rfq.cartShort"),
                    key: "rfq",
                    render: (_: unknown, r: Listing) => {
                      const added = cart.some((i) => i.listingId === r.listingId);
                      return (
                        <Button
                          size="small"
                          type={added ? "text" : "default"}
                          icon={added ? <CheckOutlined /> : <FileAddOutlined />}
                          disabled={added || own.has(r.sellerEnterpriseId) || r.status === ListingStatus.DELISTED}
                          onClick={() => {
                            rfqCart.add({ listingId: r.listingId, name: r.spec?.name ?? r.listingId, sellerEnterpriseId: r.sellerEnterpriseId, sellerName: r.sellerName, categoryId: r.spec?.categoryId ?? "" });
                            message.success(t("rfq.added", { n: rfqCart.items().length }));
                          }}
                          data-testid="row-add-rfq"
                        >
                          {t(added ? "rfq.inCart" : "rfq.addShort")}
                        </Button>
                      );
                    },
                  },
                ]
              : []),
          ]}
        />
        <div className="pager" data-testid="pager">
          <Button icon={<LeftOutlined />} disabled={filters.pages.length === 0} onClick={() => change({ ...filters, pages: filters.pages.slice(0, -1) })} data-testid="page-prev">
            {t("catalog.prevPage")}
          </Button>
          <span data-testid="page-number">{t("catalog.page", { n: page })}</span>
          <Button disabled={!res?.nextPageToken} onClick={() => res && change({ ...filters, pages: [...filters.pages, res.nextPageToken] })} data-testid="page-next">
            {t("catalog.nextPage")} <RightOutlined />
          </Button>
        </div>
      </Card>
    </>
  );
}
