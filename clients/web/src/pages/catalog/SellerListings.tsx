import { useCallback, useEffect, useRef, useState } from "react";
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { EditOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useNavigate, useSearchParams } from "react-router";
import { catalogClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { NoEnterprisePage } from "../../components/EnterpriseListParts";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { ListingStatusTag, priceRangeText } from "../../components/ListingBits";
import { ListingStatus, type Listing } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import { categoryName } from "../../lib/categories";
import { sellerAccess, useCategories, useMyEnterprises, type SellerAccess } from "../../lib/catalogData";
import { formatTonnes, normaliseDecimalInput } from "../../lib/decimal";
import { VerificationTag, formatTime } from "../../lib/labels";
import { LoadMore, usePagedList } from "../../lib/usePagedList";
import { newRequestId } from "../../lib/uuid";
import { useI18n, type MsgKey } from "../../i18n";

type StatusFilter = "all" | "active" | "delisted";
const STATUS_ENUM: Record<StatusFilter, ListingStatus> = {
  all: ListingStatus.UNSPECIFIED,
  active: ListingStatus.ACTIVE,
  delisted: ListingStatus.DELISTED,
};

export const ACCESS_KEYS: Record<Exclude<SellerAccess, "ok">, MsgKey> = {
  notSeller: "seller.access.notSeller",
  notVerified: "seller.access.notVerified",
  noRole: "seller.access.noRole",
};

/** Quick stock edit: UpdateListingStock with a request id chosen when the dialog opens (a retry has its effect once). */
function StockDialog({ listing, onClose, onSaved }: { listing: Listing | null; onClose: () => void; onSaved: (l: Listing) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ stock: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const requestId = useRef(newRequestId());

  useEffect(() => {
    if (!listing) return;
    requestId.current = newRequestId();
    setError(null);
    form.setFieldsValue({ stock: listing.spec?.stockTonnes?.value ?? "" });
  }, [listing, form]);

  const save = async () => {
    if (!listing) return;
    let v: { stock: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const value = normaliseDecimalInput(v.stock, 3) ?? v.stock;
      const res = await catalogClient.updateListingStock({ requestId: requestId.current, listingId: listing.listingId, stockTonnes: { value } });
      if (res.listing) onSaved(res.listing);
    } catch (e) {
      const err = parseError(e);
      if (![Code.Unavailable, Code.DeadlineExceeded, Code.Unknown].includes(err.code)) requestId.current = newRequestId();
      setError(err);
      const v0 = err.fieldViolations.find((f) => f.field.endsWith("stock_tonnes"));
      if (v0) form.setFields([{ name: "stock", errors: [v0.description] }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`${t("seller.editStock")} · ${listing?.spec?.name ?? ""}`}
      open={!!listing}
      onCancel={onClose}
      onOk={save}
      confirmLoading={busy}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ "data-testid": "stock-submit" } as React.ComponentProps<typeof Button>}
      destroyOnHidden
    >
      <FormError error={error} />
      <Form form={form} layout="vertical" name="stock" onFinish={save}>
        <Form.Item
          name="stock"
          label={t("listing.stock")}
          rules={[
            { required: true, message: t("common.required", { field: t("listing.stock") }) },
            { validator: (_, v: string) => (!v || normaliseDecimalInput(v, 3) !== null ? Promise.resolve() : Promise.reject(new Error(t("listing.tonnesInvalid")))) },
          ]}
        >
          <Input suffix={t("listing.tonnes")} inputMode="decimal" maxLength={16} data-testid="stock-input" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** /seller/listings — "我的商品": one seller enterprise's listings with edit, 下架 / 上架 and quick stock edit. */
export default function SellerListingsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { enterprises, error: entError } = useMyEnterprises();
  const { tree } = useCategories();
  const sellers = (enterprises ?? []).filter((e) => e.profile?.isSeller);
  const enterpriseId = params.get("enterprise") || sellers[0]?.enterpriseId || "";
  const enterprise = sellers.find((e) => e.enterpriseId === enterpriseId);
  const status: StatusFilter = (["active", "delisted"] as const).find((s) => s === params.get("status")) ?? "all";
  const access = sellerAccess(enterprise);
  const [patched, setPatched] = useState<Record<string, Listing>>({});
  const [stockFor, setStockFor] = useState<Listing | null>(null);
  const [busyId, setBusyId] = useState("");
  const [listError, setListError] = useState<ApiError | null>(null);

  const { items, next, loading, load } = usePagedList(
    useCallback(async (pageToken: string, ent: string, st: StatusFilter) => {
      setListError(null);
      try {
        const res = await catalogClient.listSellerListings({ sellerEnterpriseId: ent, status: STATUS_ENUM[st], pageSize: 20, pageToken });
        return { items: res.listings, nextPageToken: res.nextPageToken };
      } catch (e) {
        setListError(parseError(e));
        return { items: [], nextPageToken: "" };
      }
    }, []),
  );

  useEffect(() => {
    if (!enterpriseId) return;
    setPatched({});
    void load("", enterpriseId, status);
  }, [load, enterpriseId, status, lang]);

  const setQuery = (ent: string, st: StatusFilter) => {
    const p = new URLSearchParams();
    if (ent) p.set("enterprise", ent);
    if (st !== "all") p.set("status", st);
    setParams(p, { replace: true });
  };

  const replace = (l: Listing) => setPatched((p) => ({ ...p, [l.listingId]: l }));

  const act = async (l: Listing, action: "delist" | "relist") => {
    setBusyId(l.listingId);
    try {
      const res = action === "delist" ? await catalogClient.delistListing({ listingId: l.listingId }) : await catalogClient.relistListing({ listingId: l.listingId });
      if (res.listing) replace(res.listing);
      message.success(t(action === "delist" ? "seller.delisted" : "seller.relisted"));
    } catch (e) {
      message.error(parseError(e).message);
    } finally {
      setBusyId("");
    }
  };

  const rows = items.map((l) => patched[l.listingId] ?? l);

  if (enterprises && sellers.length === 0)
    return <NoEnterprisePage title={t("nav.myListings")} description={entError ? entError.message : t("seller.noSeller")} testId="seller-none" navigate={navigate} />;

  const createButton = (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      disabled={access !== "ok"}
      onClick={() => navigate(`/seller/listings/new?enterprise=${encodeURIComponent(enterpriseId)}`)}
      data-testid="listing-create"
    >
      {t("seller.create")}
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t("nav.myListings")}
        extra={
          <Space wrap>
            <Select
              style={{ minWidth: 260 }}
              value={enterpriseId || undefined}
              loading={!enterprises}
              onChange={(v: string) => setQuery(v, status)}
              options={sellers.map((e) => ({ value: e.enterpriseId, label: e.profile?.legalName ?? e.enterpriseId }))}
              data-testid="seller-enterprise"
            />
            <Button icon={<ReloadOutlined />} onClick={() => enterpriseId && load("", enterpriseId, status)}>
              {t("common.refresh")}
            </Button>
            {access === "ok" ? createButton : <Tooltip title={enterprise ? t(ACCESS_KEYS[access]) : ""}>{createButton}</Tooltip>}
          </Space>
        }
      />
      {enterprise && access !== "ok" && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <Space>
              {t(ACCESS_KEYS[access])}
              <VerificationTag status={enterprise.verificationStatus} />
            </Space>
          }
          data-testid="seller-access"
        />
      )}
      <Card>
        <div className="panel-toolbar">
          <Segmented<StatusFilter>
            value={status}
            onChange={(s) => setQuery(enterpriseId, s)}
            options={[
              { value: "all", label: <span data-testid="seller-status-all">{t("seller.status.all")}</span> },
              { value: "active", label: <span data-testid="seller-status-active">{t("listing.status.active")}</span> },
              { value: "delisted", label: <span data-testid="seller-status-delisted">{t("listing.status.delisted")}</span> },
            ]}
          />
          <Link to={`/catalog`}>{t("seller.toCatalog")}</Link>
        </div>
        {listError && <Alert type="error" showIcon title={listError.message} style={{ marginBottom: 12 }} data-testid="seller-list-error" />}
        <Table<Listing>
          rowKey="listingId"
          loading={loading}
          dataSource={rows}
          pagination={false}
          data-testid="seller-table"
          rowClassName={(r) => (r.status === ListingStatus.DELISTED ? "row-delisted" : "")}
          onRow={(r) => ({ "data-testid": "seller-row", "data-listing-id": r.listingId, "data-status": ListingStatus[r.status] }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty description={t("seller.empty")} /> }}
          columns={[
            {
              title: t("listing.product"),
              key: "name",
              render: (_, r) => (
                <div className="listing-cell">
                  <Link to={`/catalog/listings/${r.listingId}`} className="strong-link" data-testid="seller-row-name">
                    {r.spec?.name}
                  </Link>
                  <div className="key-specs">
                    {r.keySpecs.map((k, i) => (
                      <Tag key={i}>{k}</Tag>
                    ))}
                  </div>
                  {r.spec?.sellerSku && (
                    <Typography.Text type="secondary" className="small">
                      {t("listing.sellerSkuShort")} <span className="mono" data-testid="seller-row-sku">{r.spec.sellerSku}</span>
                    </Typography.Text>
                  )}
                </div>
              ),
            },
            { title: t("listing.category"), key: "cat", render: (_, r) => categoryName(tree?.byId.get(r.spec?.categoryId ?? ""), lang) || r.spec?.categoryId },
            { title: t("listing.priceHeader"), key: "price", align: "right", render: (_, r) => <span className="amount" data-testid="seller-row-price">{priceRangeText(r)}</span> },
            {
              title: t("listing.stockHeader"),
              key: "stock",
              align: "right",
              render: (_, r) => (
                <Space size={2}>
                  <span className="amount" data-testid="seller-row-stock">
                    {formatTonnes(r.spec?.stockTonnes?.value)}
                  </span>
                  <Button type="text" size="small" icon={<EditOutlined />} aria-label={t("seller.editStock")} onClick={() => setStockFor(r)} data-testid="seller-stock-edit" />
                </Space>
              ),
            },
            { title: t("common.status"), key: "status", render: (_, r) => <ListingStatusTag status={r.status} /> },
            { title: t("common.updatedAt"), key: "updated", render: (_, r) => <span className="small">{formatTime(r.updateTime)}</span> },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_, r) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => navigate(`/seller/listings/${r.listingId}/edit`)} data-testid="seller-edit">
                    {t("common.edit")}
                  </Button>
                  {r.status === ListingStatus.DELISTED ? (
                    <Button type="link" size="small" loading={busyId === r.listingId} onClick={() => act(r, "relist")} data-testid="seller-relist">
                      {t("seller.relist")}
                    </Button>
                  ) : (
                    <Popconfirm
                      title={t("seller.delistConfirm")}
                      onConfirm={() => act(r, "delist")}
                      okText={t("seller.delist")}
                      cancelText={t("common.cancel")}
                      okButtonProps={{ "data-testid": "seller-delist-confirm" } as React.ComponentProps<typeof Button>}
                    >
                      <Button type="link" size="small" danger loading={busyId === r.listingId} data-testid="seller-delist">
                        {t("seller.delist")}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
        <LoadMore next={next} onLoad={(tok) => load(tok, enterpriseId, status)} />
        <Typography.Paragraph type="secondary" className="small" style={{ marginTop: 12 }}>
          {t("seller.hint")}
        </Typography.Paragraph>
      </Card>
      <StockDialog
        listing={stockFor}
        onClose={() => setStockFor(null)}
        onSaved={(l) => {
          replace(l);
          setStockFor(null);
          message.success(t("seller.stockSaved"));
        }}
      />
    </>
  );
}
