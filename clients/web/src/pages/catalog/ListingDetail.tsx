import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Spin, Table, Tag, Typography } from "antd";
import { EditOutlined, EnvironmentOutlined, ShopOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { catalogClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { FileImage } from "../../components/ListingImages";
import { DELIVERY_KEYS, Flash, ListingStatusTag, WEIGHT_BASIS_KEYS, priceRangeText } from "../../components/ListingBits";
import { LiveBadge } from "./CatalogSearch";
import { ListingStatus, type Listing } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import { attributeLabel, categoryName, formatAttributeValue, pathTo } from "../../lib/categories";
import { sellerAccess, useCategories, useListingWatch, useMyEnterprises } from "../../lib/catalogData";
import { formatTonnes, sameDecimal, sumDecimals } from "../../lib/decimal";
import { formatTime } from "../../lib/labels";
import { formatAmount, formatMoney } from "../../lib/money";
import { WEIGHT_BASIS_ATTRIBUTE } from "../../lib/listingForm";
import { useI18n } from "../../i18n";

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
  const nav = (location.state ?? {}) as { sellerName?: string; back?: string };
  const { tree } = useCategories();
  const { enterprises } = useMyEnterprises();
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [highlight, setHighlight] = useState<Highlight>({});

  const load = useCallback(async () => {
    try {
      const res = await catalogClient.getListing({ listingId: id });
      setListing(res.listing ?? null);
      setError(null);
    } catch (e) {
      setError(parseError(e));
    }
  }, [id]);

  useEffect(() => {
    setListing(null);
    void load();
  }, [load]);

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
    }
    // A watch update is the whole listing; keep the seller name we had when it comes without one.
    const next = { ...l, sellerName: l.sellerName || prev.sellerName } as Listing;
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
  const sellerName = listing.sellerName || nav.sellerName || "";
  const mine = enterprises?.find((e) => e.enterpriseId === listing.sellerEnterpriseId);
  const canEdit = !!mine && sellerAccess(mine) !== "noRole" && sellerAccess(mine) !== "notSeller";

  const specItems = schema
    .filter((a) => a.key !== WEIGHT_BASIS_ATTRIBUTE && (spec?.attributes[a.key] ?? "") !== "")
    .map((a) => ({
      key: a.key,
      label: attributeLabel(a, lang),
      children: <span data-testid={`spec-${a.key}`}>{formatAttributeValue(a, spec!.attributes[a.key], lang)}</span>,
    }));
  const breakdownTotal = sumDecimals(listing.priceBreakdown.map((l) => l.amount?.amount ?? "0"));
  const tiers = [
    ...(spec?.unitPrice?.amount ? [{ key: "base", min: spec.moqTonnes?.value ?? "", price: formatMoney(spec.unitPrice), base: true }] : []),
    ...(spec?.tiers ?? []).map((tier, i) => ({ key: String(i), min: tier.minQuantityTonnes?.value ?? "", price: formatMoney(tier.unitPrice), base: false })),
  ];

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
          canEdit && (
            <Button icon={<EditOutlined />} onClick={() => navigate(`/seller/listings/${listing.listingId}/edit`)} data-testid="listing-edit">
              {t("common.edit")}
            </Button>
          )
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
            <div className="key-specs" style={{ marginBottom: 12 }}>
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
                <Tag>{t(DELIVERY_KEYS[spec?.deliveryPriceBasis ?? 0])}</Tag>
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
                { title: t("listing.unitPrice"), key: "price", align: "right", render: (_, r) => <span className="amount">{r.price}</span> },
              ]}
            />
            <Typography.Text type="secondary" className="small">
              {t("listing.tierHint")}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
    </>
  );
}
