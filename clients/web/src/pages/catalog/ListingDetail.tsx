import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert, App, Breadcrumb, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Spin, Table, Tag, Tooltip, Typography } from "antd";
import { EditOutlined, EnvironmentOutlined, FileAddOutlined, MessageOutlined, ShopOutlined, ShoppingCartOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { cartClient, catalogClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { FileImage } from "../../components/ListingImages";
import { DELIVERY_KEYS, Flash, ListingStatusTag, WEIGHT_BASIS_KEYS, priceRangeText } from "../../components/ListingBits";
import { LiveBadge } from "./CatalogSearch";
import { DeliveryPriceBasis, ListingStatus, type Listing, type ListingChange } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import { attributeLabel, categoryName, formatAttributeValue, pathTo } from "../../lib/categories";
import { sellerAccess, useCategories, useListingWatch, useMyEnterprises } from "../../lib/catalogData";
import { formatTonnes, sameDecimal, sumDecimals } from "../../lib/decimal";
import { formatTime } from "../../lib/labels";
import { formatAmount, formatMoney } from "../../lib/money";
import { WEIGHT_BASIS_ATTRIBUTE } from "../../lib/listingForm";
import { CHANGE_KIND, newestFirst, sparklinePoints } from "../../lib/priceHistory";
import { buyerEnterprises } from "../../lib/negotiation";
import { rfqCart, useRfqCart } from "../../lib/rfqCart";
import { useI18n, type MsgKey } from "../../i18n";

const CHANGE_KEYS: Record<number, MsgKey> = {
  [CHANGE_KIND.CREATED]: "listing.change.created",
  [CHANGE_KIND.PRICE_CHANGED]: "listing.change.priceChanged",
  [CHANGE_KIND.STOCK_SET]: "listing.change.stockSet",
  [CHANGE_KIND.STOCK_RESERVED]: "listing.change.stockReserved",
  [CHANGE_KIND.STOCK_RELEASED]: "listing.change.stockReleased",
  [CHANGE_KIND.STOCK_SHIPPED]: "listing.change.stockShipped",
};
const CHANGE_NAMES: Record<number, string> = {
  [CHANGE_KIND.CREATED]: "CREATED",
  [CHANGE_KIND.PRICE_CHANGED]: "PRICE_CHANGED",
  [CHANGE_KIND.STOCK_SET]: "STOCK_SET",
  [CHANGE_KIND.STOCK_RESERVED]: "STOCK_RESERVED",
  [CHANGE_KIND.STOCK_RELEASED]: "STOCK_RELEASED",
  [CHANGE_KIND.STOCK_SHIPPED]: "STOCK_SHIPPED",
};

/** A tiny line of the list price over the recorded changes (oldest to newest), plain SVG. */
function PriceSparkline({ changes }: { changes: ListingChange[] }) {
  const { t } = useI18n();
  const width = 220;
  const height = 44;
  const points = sparklinePoints(
    changes.map((c) => c.listPrice?.amount ?? ""),
    width,
    height,
  );
  if (!points) return null;
  return (
    <div className="price-sparkline">
      <span className="muted small">{t("listing.historyTrend")}</span>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t("listing.historyTrend")} data-testid="price-sparkline">
        <polyline points={points} fill="none" stroke="#1677ff" strokeWidth="2" strokeLinejoin="round" strokeLinecap="round" />
      </svg>
    </div>
  );
}

/** 价格与库存记录: the last changes GetListing returns, newest first. */
function ChangeHistory({ changes }: { changes: ListingChange[] }) {
  const { t } = useI18n();
  const rows = useMemo(() => newestFirst(changes), [changes]);
  return (
    <Card title={t("listing.history")} className="section-card" size="small" data-testid="history-card" extra={<PriceSparkline changes={changes} />}>
      <Table<ListingChange>
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={rows.length > 10 ? { pageSize: 10, size: "small", showSizeChanger: false } : false}
        dataSource={rows}
        data-testid="history-table"
        locale={{ emptyText: t("listing.historyEmpty") }}
        onRow={(r) => ({ "data-testid": "history-row", "data-kind": CHANGE_NAMES[r.kind] ?? "UNSPECIFIED" }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("listing.historyTime"), key: "time", render: (_, r) => <span className="small">{formatTime(r.changeTime)}</span> },
          { title: t("listing.historyKind"), key: "kind", render: (_, r) => t(CHANGE_KEYS[r.kind] ?? "listing.change.unknown") },
          { title: t("listing.historyPrice"), key: "price", align: "right", render: (_, r) => <span className="amount">{formatMoney(r.listPrice)}</span> },
          { title: t("listing.historyStock"), key: "stock", align: "right", render: (_, r) => <span className="amount">{formatTonnes(r.stockTonnes?.value)}</span> },
          { title: t("listing.historyReserved"), key: "reserved", align: "right", render: (_, r) => <span className="amount">{formatTonnes(r.reservedTonnes?.value)}</span> },
        ]}
      />
      <Typography.Text type="secondary" className="small">
        {t("listing.historyHint")}
      </Typography.Text>
    </Card>
  );
}

interface Highlight {
  price?: number;
  stock?: number;
}

/** /catalog/listings/:id — one listing with its specs, prices and stock, kept current by WatchListings. */
export default function ListingDetailPage() {
  const { t, lang } = useI18n();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const nav = (location.state ?? {}) as { back?: string };
  const { tree } = useCategories();
  const { enterprises } = useMyEnterprises();
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [highlight, setHighlight] = useState<Highlight>({});
  const { message } = App.useApp();
  const cart = useRfqCart();

  // Key specs and price lines come in the language of the call: read again when the UI language changes.
  const load = useCallback(async () => {
    try {
      const res = await catalogClient.getListing({ listingId: id });
      setListing(res.listing ?? null);
      setError(null);
    } catch (e) {
      setError(parseError(e));
    }
  }, [id, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => setListing(null), [id]);

  // Watch updates carry no change history: after a live price or stock change, read it again (once per burst).
  const historyTimer = useRef<number | undefined>(undefined);
  const refreshHistory = useCallback(() => {
    window.clearTimeout(historyTimer.current);
    historyTimer.current = window.setTimeout(() => {
      catalogClient
        .getListing({ listingId: id })
        .then((r) => {
          const changes = r.listing?.recentChanges;
          if (changes) setListing((prev) => (prev && prev.listingId === id ? ({ ...prev, recentChanges: changes } as Listing) : prev));
        })
        .catch(() => {});
    }, 600);
  }, [id]);
  useEffect(() => () => window.clearTimeout(historyTimer.current), []);

  const watchIds = useMemo(() => (listing ? [id] : []), [id, !!listing]); // eslint-disable-line react-hooks/exhaustive-deps
  const current = useRef<Listing | null>(null);
  current.current = listing;
  const watch = useListingWatch(watchIds, (l) => {
    const prev = current.current;
    if (!prev) return;
    if (l.status === ListingStatus.DELISTED) {
      setListing({ ...prev, status: ListingStatus.DELISTED });
      return;
    }
    const price = !sameDecimal(prev.displayPrice?.amount, l.displayPrice?.amount) || !sameDecimal(prev.displayPriceMax?.amount, l.displayPriceMax?.amount);
    const stock = !sameDecimal(prev.spec?.stockTonnes?.value, l.spec?.stockTonnes?.value);
    if (price || stock) {
      const now = Date.now();
      setHighlight((h) => ({ price: price ? now : h.price, stock: stock ? now : h.stock }));
      refreshHistory();
    }
    // A watch update is the whole listing (with its seller name) but without the change history: keep ours.
    const next = { ...l, sellerName: l.sellerName || prev.sellerName, recentChanges: l.recentChanges.length ? l.recentChanges : prev.recentChanges } as Listing;
    current.current = next;
    setListing(next);
  });

  if (error && !listing)
    return (
      <Result
        status={error.code === Code.NotFound ? "404" : "error"}
        title={error.code === Code.NotFound ? t("listing.notFound") : error.message}
        extra={<Link to="/catalog">{t("common.back")}</Link>}
      />
    );
  if (!listing || !tree) return <Spin style={{ display: "block", margin: 80 }} />;

  const spec = listing.spec;
  const category = tree.byId.get(spec?.categoryId ?? "");
  const schema = category?.attributes ?? [];
  const path = pathTo(tree, spec?.categoryId ?? "");
  const delisted = listing.status === ListingStatus.DELISTED;
  const sellerName = listing.sellerName;
  const mine = enterprises?.find((e) => e.enterpriseId === listing.sellerEnterpriseId);
  const canEdit = !!mine && sellerAccess(mine) !== "noRole" && sellerAccess(mine) !== "notSeller";
  // 询价 / 加入询价单: for members who buy for an enterprise other than the seller.
  const canBuy = !!enterprises && buyerEnterprises(enterprises, listing.sellerEnterpriseId).length > 0;
  const inCart = cart.some((i) => i.listingId === listing.listingId);
  const addToRfq = () => {
    rfqCart.add({
      listingId: listing.listingId,
      name: spec?.name ?? listing.listingId,
      sellerEnterpriseId: listing.sellerEnterpriseId,
      sellerName: listing.sellerName,
      categoryId: spec?.categoryId ?? "",
    });
    message.success(t("rfq.added", { n: rfqCart.items().length }));
  };
  // 加入购物车: the minimum order (the quantity is edited in the cart), priced there by the listing's tiers.
  const addToShoppingCart = async () => {
    try {
      const res = await cartClient.setCartItem({ listingId: listing.listingId, quantityTonnes: { value: spec?.moqTonnes?.value || "1" } });
      message.success(t("cart.added", { n: res.items.length }));
    } catch (e) {
      message.error(parseError(e).message);
    }
  };
  const inquire = (
    <Button type="primary" icon={<MessageOutlined />} disabled={!canBuy || delisted} onClick={() => navigate(`/inquiries/new?listing=${encodeURIComponent(listing.listingId)}`)} data-testid="listing-inquire">
      {t("neg.inquire")}
    </Button>
  );

  const specItems = schema
    .filter((a) => a.key !== WEIGHT_BASIS_ATTRIBUTE && (spec?.attributes[a.key] ?? "") !== "")
    .map((a) => ({
      key: a.key,
      label: attributeLabel(a, lang),
      children: <span data-testid={`spec-${a.key}`}>{formatAttributeValue(a, spec!.attributes[a.key], lang)}</span>,
    }));
  const breakdownTotal = sumDecimals(listing.priceBreakdown.map((l) => l.amount?.amount ?? "0"));
  // From the minimum order the untiered price (the unit price, or base + extras for the listing's own specs), then
  // each tier's price; discount tiers also say how much they take off per tonne.
  const untiered = spec?.unitPrice?.amount ? spec.unitPrice : listing.displayPriceMax?.amount ? listing.displayPriceMax : listing.displayPrice;
  const discountTiers = (spec?.tiers ?? []).some((tier) => !!tier.discountPerTonne?.amount);
  const tiers = [
    ...(untiered?.amount && (spec?.tiers.length || spec?.unitPrice?.amount) ? [{ key: "base", min: spec?.moqTonnes?.value ?? "", price: formatMoney(untiered), discount: "" }] : []),
    ...(spec?.tiers ?? []).map((tier, i) => ({
      key: String(i),
      min: tier.minQuantityTonnes?.value ?? "",
      price: formatMoney(tier.unitPrice),
      discount: tier.discountPerTonne?.amount ? formatMoney(tier.discountPerTonne) : "",
    })),
  ];
  const delivered = spec?.deliveryPriceBasis === DeliveryPriceBasis.DELIVERED;

  return (
    <>
      <PageHeader
        back={nav.back ?? "/catalog"}
        title={<span data-testid="listing-name">{spec?.name}</span>}
        sub={
          <Space size={4}>
            <ListingStatusTag status={listing.status} />
            <LiveBadge state={watch} />
          </Space>
        }
        extra={
          <Space wrap>
            {!mine && enterprises && (canBuy ? inquire : <Tooltip title={t("neg.noBuyerEnterprise")}>{inquire}</Tooltip>)}
            {!mine && canBuy && !delisted && (
              <Button icon={<FileAddOutlined />} disabled={inCart} onClick={addToRfq} data-testid="listing-add-rfq">
                {t(inCart ? "rfq.inCart" : "rfq.addToCart")}
              </Button>
            )}
            {!mine && canBuy && !delisted && (
              <Button icon={<ShoppingCartOutlined />} onClick={() => void addToShoppingCart()} data-testid="listing-add-cart">
                {t("cart.add")}
              </Button>
            )}
            {cart.length > 0 && !mine && (
              <Button icon={<UnorderedListOutlined />} onClick={() => navigate("/rfqs/new")} data-testid="rfq-cart-open">
                {t("rfq.cart", { n: cart.length })}
              </Button>
            )}
            {canEdit && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/seller/listings/${listing.listingId}/edit`)} data-testid="listing-edit">
                {t("common.edit")}
              </Button>
            )}
          </Space>
        }
      />
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: "all", title: <Link to="/catalog">{t("cat.all")}</Link> },
          ...path.map((c) => ({ key: c.categoryId, title: <Link to={`/catalog?cat=${encodeURIComponent(c.categoryId)}`}>{categoryName(c, lang)}</Link> })),
        ]}
      />
      {delisted && <Alert type="warning" showIcon title={t("listing.delistedAlert")} style={{ marginBottom: 16 }} data-testid="delisted-alert" />}
      <Card className={`section-card ${delisted ? "listing-delisted" : ""}`}>
        <Row gutter={[24, 16]}>
          <Col xs={24} md={9}>
            {spec?.imageFileIds.length ? (
              <Space wrap>
                {spec.imageFileIds.map((f, i) => (
                  <FileImage key={f} fileId={f} size={i === 0 ? 280 : 84} />
                ))}
              </Space>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("listing.noImages")} />
            )}
          </Col>
          <Col xs={24} md={15}>
            <div className="key-specs" style={{ marginBottom: 12 }} data-testid="listing-key-specs">
              {spec?.brand && !listing.keySpecs.includes(spec.brand) && <Tag color="blue">{spec.brand}</Tag>}
              {listing.keySpecs.map((k, i) => (
                <Tag key={i}>{k}</Tag>
              ))}
            </div>
            <div className="price-box">
              <div className="price-box-label">{t("listing.price")}</div>
              <Flash at={highlight.price} testId="detail-price">
                <span className="price-big">{priceRangeText(listing)}</span>
              </Flash>
              <span className="price-unit">{t("listing.perTonne")}</span>
              <div className="price-basis" data-testid="detail-price-basis">
                <Tag color="gold">{t("listing.taxIncluded")}</Tag>
                <Tag data-testid="detail-delivery">{delivered && spec?.deliveredTo ? t("listing.deliveredAt", { place: spec.deliveredTo }) : t(DELIVERY_KEYS[spec?.deliveryPriceBasis ?? 0])}</Tag>
                {category?.vatRate?.value && <span className="muted">{t("listing.vat", { rate: category.vatRate.value })}</span>}
              </div>
            </div>
            <Descriptions
              column={{ xs: 1, sm: 2 }}
              size="small"
              items={[
                {
                  key: "stock",
                  label: t("listing.stock"),
                  children: (
                    <Flash at={highlight.stock} testId="detail-stock">
                      <span className="amount">{formatTonnes(spec?.stockTonnes?.value)}</span> {t("listing.tonnes")}
                    </Flash>
                  ),
                },
                {
                  key: "moq",
                  label: t("listing.moq"),
                  children: (
                    <span data-testid="detail-moq">
                      {formatTonnes(spec?.moqTonnes?.value)} {t("listing.tonnes")}
                    </span>
                  ),
                },
                { key: "weight", label: t("listing.weightBasis"), children: <span data-testid="detail-weight-basis">{t(WEIGHT_BASIS_KEYS[spec?.weightBasis ?? 0])}</span> },
                { key: "origin", label: t("listing.origin"), children: spec?.origin || "—" },
                {
                  key: "seller",
                  label: t("listing.seller"),
                  children: (
                    <span data-testid="detail-seller">
                      <ShopOutlined /> {sellerName || "—"}
                    </span>
                  ),
                },
                {
                  key: "warehouse",
                  label: t("listing.warehouse"),
                  children: (
                    <span data-testid="detail-warehouse">
                      <EnvironmentOutlined /> {spec?.warehouseCity} {spec?.warehouseAddress}
                    </span>
                  ),
                },
                ...(mine && spec?.sellerSku
                  ? [{ key: "sku", label: t("listing.sellerSku"), children: <span className="mono" data-testid="detail-sku">{spec.sellerSku}</span> }]
                  : []),
                { key: "updated", label: t("common.updatedAt"), children: formatTime(listing.updateTime) },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t("listing.specs")} className="section-card" size="small">
            {specItems.length ? <Descriptions bordered size="small" column={1} items={specItems} data-testid="spec-table" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("listing.breakdown")} className="section-card" size="small">
            <Table
              size="small"
              rowKey={(_, i) => String(i)}
              pagination={false}
              data-testid="breakdown-table"
              dataSource={listing.priceBreakdown}
              columns={[
                { title: t("listing.breakdownItem"), dataIndex: "label" },
                { title: t("listing.amountPerTonne"), key: "amount", align: "right", render: (_, l) => <span className="amount">{formatMoney(l.amount)}</span> },
              ]}
              summary={() =>
                listing.priceBreakdown.length > 1 ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <strong>{t("listing.breakdownTotal")}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <strong className="amount" data-testid="breakdown-total">
                        {formatAmount(breakdownTotal)}
                      </strong>
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                ) : null
              }
            />
          </Card>
          <Card title={t("listing.tiers")} className="section-card" size="small">
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              data-testid="tier-table"
              dataSource={tiers}
              locale={{ emptyText: t("listing.noTiers") }}
              onRow={() => ({ "data-testid": "tier-row" }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                { title: t("listing.tierMin"), key: "min", render: (_, r) => `≥ ${formatTonnes(r.min)} ${t("listing.tonnes")}` },
                {
                  title: t("listing.unitPrice"),
                  key: "price",
                  align: "right",
                  render: (_, r) => (
                    <span>
                      <span className="amount">{r.price}</span>
                      {r.discount && (
                        <span className="muted small tier-discount" data-testid="tier-discount">
                          {" "}
                          ({t("listing.tierDiscountNote", { amount: r.discount })})
                        </span>
                      )}
                    </span>
                  ),
                },
              ]}
            />
            <Typography.Text type="secondary" className="small">
              {t(discountTiers ? "listing.tierBaseHint" : "listing.tierHint")}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <ChangeHistory changes={listing.recentChanges} />
    </>
  );
}
