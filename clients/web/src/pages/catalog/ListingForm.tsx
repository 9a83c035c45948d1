import { useEffect, useMemo, useRef, useState } from "react";
import { Alert, App, Button, Card, Cascader, Col, Form, Input, Radio, Row, Select, Spin } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { catalogClient } from "../../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { AttributeField } from "../../components/AttributeField";
import { FormError } from "../../components/FormError";
import { ListingImagesInput } from "../../components/ListingImages";
import { DELIVERY_KEYS, WEIGHT_BASIS_KEYS } from "../../components/ListingBits";
import { PageHeader } from "../../components/PageHeader";
import { DeliveryPriceBasis, type Listing } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import { KIND, allowedWeightBases, attributeLabel, cascaderOptions, isLeaf, isZh, pathTo, type AttributeLike } from "../../lib/categories";
import { sellerAccess, useCategories, useMyEnterprises } from "../../lib/catalogData";
import { normaliseDecimalInput, sameDecimal } from "../../lib/decimal";
import { normaliseAmountInput } from "../../lib/money";
import { DELIVERED, WEIGHT_BASIS_ATTRIBUTE, listingFieldName, normaliseSignedAmount, specFromValues, valuesFromListing, type ListingFormValues } from "../../lib/listingForm";
import { newRequestId } from "../../lib/uuid";
import { useI18n, type MsgKey } from "../../i18n";
import { ACCESS_KEYS } from "./SellerListings";

const KNOWN = [
  "categoryPath",
  "name",
  "attributes",
  "brand",
  "sellerSku",
  "origin",
  "warehouseCity",
  "warehouseAddress",
  "weightBasis",
  "deliveryPriceBasis",
  "deliveredTo",
  "priceMode",
  "unitPrice",
  "basePrice",
  "extras",
  "tiers",
  "moq",
  "stock",
  "imageFileIds",
];

const EMPTY: Partial<ListingFormValues> = {
  categoryPath: [],
  attributes: {},
  priceMode: "unit",
  deliveryPriceBasis: DeliveryPriceBasis.EX_WORKS,
  extras: [],
  tiers: [],
  imageFileIds: [],
};

/** /seller/listings/new?enterprise=… and /seller/listings/:id/edit — the listing form generated from the leaf category's schema. */
export default function ListingFormPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params] = useSearchParams();
  const editing = !!id;
  const { tree, error: treeError } = useCategories();
  const { enterprises } = useMyEnterprises();
  const [form] = Form.useForm<ListingFormValues>();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const [busy, setBusy] = useState(false);
  // One request id per form open: a double submit or a retry after a network error creates one listing.
  const requestId = useRef(newRequestId());
  const updateRequestId = useRef(newRequestId());
  const stockRequestId = useRef(newRequestId());
  const filled = useRef(false);

  const enterpriseId = listing?.sellerEnterpriseId ?? params.get("enterprise") ?? "";
  const enterprise = enterprises?.find((e) => e.enterpriseId === enterpriseId);
  const access = sellerAccess(enterprise);

  const categoryPath: string[] | undefined = Form.useWatch("categoryPath", form);
  const priceMode: ListingFormValues["priceMode"] | undefined = Form.useWatch("priceMode", form);
  const deliveryBasis: number | undefined = Form.useWatch("deliveryPriceBasis", form);
  const leafId = categoryPath?.[categoryPath.length - 1] ?? "";
  const category = tree && leafId && isLeaf(tree, leafId) ? tree.byId.get(leafId) : undefined;
  const schema: AttributeLike[] = useMemo(() => category?.attributes ?? [], [category]);
  const formAttributes = schema.filter((a) => a.key !== WEIGHT_BASIS_ATTRIBUTE);
  const extraAttributes = formAttributes.filter((a) => a.kind === KIND.ENUM || a.kind === KIND.NUMBER);
  const bases = allowedWeightBases(category);

  useEffect(() => {
    if (!id) return;
    catalogClient
      .getListing({ listingId: id })
      .then((r) => setListing(r.listing ?? null))
      .catch((e) => setLoadError(parseError(e)));
  }, [id]);

  // Fill the form once both the listing and the category tree are there.
  useEffect(() => {
    if (!listing || !tree || filled.current) return;
    filled.current = true;
    const catId = listing.spec?.categoryId ?? "";
    form.setFieldsValue(valuesFromListing(listing, pathTo(tree, catId).map((c) => c.categoryId), tree.byId.get(catId)?.attributes ?? []) as ListingFormValues);
  }, [listing, tree, form]);

  const onCategoryChange = () => {
    // A new category has another schema: its attribute values and extras start empty.
    form.setFieldsValue({ attributes: {}, extras: [] });
    const leaf = form.getFieldValue("categoryPath") as string[] | undefined;
    const c = tree?.byId.get(leaf?.[leaf.length - 1] ?? "");
    const allowed = allowedWeightBases(c);
    const current = form.getFieldValue("weightBasis") as number | undefined;
    if (!current || !allowed.includes(current)) form.setFieldsValue({ weightBasis: allowed.length === 1 ? allowed[0] : undefined });
  };

  const req = (key: MsgKey) => ({ required: true, whitespace: true, message: t("common.required", { field: t(key) }) });
  const tonnesRule = (allowZero: boolean) => ({
    validator: (_: unknown, v: string) => {
      if (!v) return Promise.resolve();
      const n = normaliseDecimalInput(v, 3);
      if (n === null) return Promise.reject(new Error(t("listing.tonnesInvalid")));
      if (!allowZero && sameDecimal(n, "0")) return Promise.reject(new Error(t("listing.tonnesPositive")));
      return Promise.resolve();
    },
  });
  const priceRule = {
    validator: (_: unknown, v: string) => (!v || normaliseAmountInput(v) ? Promise.resolve() : Promise.reject(new Error(t("listing.priceInvalid")))),
  };

  const save = async () => {
    let v: ListingFormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (!category) return;
    setBusy(true);
    setError(null);
    setUnmapped([]);
    const spec = specFromValues({ ...EMPTY, ...v } as ListingFormValues, schema);
    try {
      let saved: Listing | undefined;
      if (editing && listing) {
        const res = await catalogClient.updateListing({ listingId: listing.listingId, spec, etag: listing.etag, requestId: updateRequestId.current });
        saved = res.listing;
        // UpdateListing leaves stock alone: a changed stock figure goes through UpdateListingStock.
        if (saved && !sameDecimal(saved.spec?.stockTonnes?.value, spec.stockTonnes.value)) {
          const stock = await catalogClient.updateListingStock({ requestId: stockRequestId.current, listingId: listing.listingId, stockTonnes: spec.stockTonnes });
          saved = stock.listing ?? saved;
        }
      } else {
        const res = await catalogClient.createListing({ requestId: requestId.current, sellerEnterpriseId: enterpriseId, spec });
        saved = res.listing;
      }
      if (!saved) throw new Error("no listing in response");
      message.success(t(editing ? "listing.updated" : "listing.created"));
      navigate(`/catalog/listings/${saved.listingId}`, { replace: true });
    } catch (e) {
      const err = parseError(e);
      // A retry of the same attempt (network trouble) keeps the request ids; anything else gets fresh ones.
      if (![Code.Unavailable, Code.DeadlineExceeded, Code.Unknown].includes(err.code)) {
        requestId.current = newRequestId();
        updateRequestId.current = newRequestId();
        stockRequestId.current = newRequestId();
      }
      if (err.code === Code.Aborted && listing) {
        message.warning(t("listing.stale"));
        const r = await catalogClient.getListing({ listingId: listing.listingId }).catch(() => null);
        if (r?.listing) setListing({ ...listing, etag: r.listing.etag });
      }
      setError(err);
      setUnmapped(applyFieldErrors(form, err, { known: KNOWN, resolve: (path) => listingFieldName(path, v.priceMode) }));
    } finally {
      setBusy(false);
    }
  };

  if (loadError)
    return (
      <>
        <PageHeader title={t("listing.edit")} back="/seller/listings" />
        <FormError error={loadError} />
      </>
    );
  if (!tree || (editing && !listing)) return treeError ? <FormError error={treeError} /> : <Spin style={{ display: "block", margin: 80 }} />;

  return (
    <>
      <PageHeader
        title={editing ? t("listing.edit") : t("listing.create")}
        back={`/seller/listings${enterpriseId ? `?enterprise=${encodeURIComponent(enterpriseId)}` : ""}`}
        sub={enterprise && <span className="muted">{enterprise.profile?.legalName}</span>}
      />
      {enterprises && !enterprise && !editing && <Alert type="warning" showIcon title={t("seller.pickEnterprise")} style={{ marginBottom: 16 }} />}
      {enterprise && access !== "ok" && <Alert type="warning" showIcon title={t(ACCESS_KEYS[access])} style={{ marginBottom: 16 }} data-testid="seller-access" />}
      <Form<ListingFormValues> form={form} name="listing" layout="vertical" initialValues={EMPTY} scrollToFirstError onFinish={save}>
        <FormError error={error} unmapped={unmapped} />
        <Card title={t("listing.section.basic")} className="section-card">
          <Row gutter={24}>
            <Col xs={24} md={12}>
              <Form.Item name="categoryPath" label={t("listing.category")} rules={[{ required: true, type: "array", min: 1, message: t("listing.categoryRequired") }]}>
                <Cascader
                  options={cascaderOptions(tree, lang)}
                  placeholder={t("listing.categoryPlaceholder")}
                  onChange={onCategoryChange}
                  showSearch
                  data-testid="listing-category"
                  disabled={editing}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={t("listing.name")} rules={[req("listing.name"), { min: 2, max: 100 }]}>
                <Input maxLength={100} placeholder={t("listing.namePlaceholder")} data-testid="listing-name-input" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="brand" label={t("listing.brand")} extra={t("listing.brandHint")} rules={[{ max: 50 }]}>
                <Input maxLength={50} data-testid="listing-brand" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="origin" label={t("listing.origin")} rules={[req("listing.origin"), { min: 2, max: 50 }]}>
                <Input maxLength={50} placeholder={t("listing.originPlaceholder")} data-testid="listing-origin" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="sellerSku" label={t("listing.sellerSku")} extra={t("listing.sellerSkuHint")} rules={[{ max: 64 }, { pattern: /^[^\p{C}]*$/u, message: t("listing.sellerSkuInvalid") }]}>
                <Input maxLength={64} data-testid="listing-sku" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t("listing.section.specs")} className="section-card" data-testid="attribute-card">
          {!category ? (
            <div className="muted">{t("listing.pickCategoryFirst")}</div>
          ) : (
            <Row gutter={24}>
              {formAttributes.map((a) => (
                <Col xs={24} md={8} key={`${leafId}.${a.key}`}>
                  <AttributeField attribute={a} />
                </Col>
              ))}
            </Row>
          )}
        </Card>

        <Card title={t("listing.section.price")} className="section-card">
          <Row gutter={24}>
            <Col xs={24} md={8}>
              <Form.Item name="deliveryPriceBasis" label={t("listing.deliveryBasis")} rules={[{ required: true, message: t("listing.deliveryRequired") }]} extra={t("listing.taxIncludedHint")}>
                <Radio.Group
                  data-testid="listing-delivery"
                  options={[DeliveryPriceBasis.EX_WORKS, DeliveryPriceBasis.DELIVERED].map((d) => ({
                    value: d,
                    label: <span data-testid={`delivery-${d === DeliveryPriceBasis.DELIVERED ? "delivered" : "ex-works"}`}>{t(DELIVERY_KEYS[d])}</span>,
                  }))}
                />
              </Form.Item>
              {deliveryBasis === DELIVERED && (
                <Form.Item name="deliveredTo" label={t("listing.deliveredTo")} rules={[req("listing.deliveredTo"), { min: 2, max: 50 }]} extra={t("listing.deliveredToHint")}>
                  <Input maxLength={50} placeholder={t("listing.deliveredToPlaceholder")} data-testid="listing-delivered-to" />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="priceMode" label={t("listing.priceMode")}>
                <Radio.Group
                  data-testid="listing-price-mode"
                  options={[
                    { value: "unit", label: <span data-testid="price-mode-unit">{t("listing.priceMode.unit")}</span> },
                    { value: "base", label: <span data-testid="price-mode-base">{t("listing.priceMode.base")}</span> },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              {priceMode === "base" ? (
                <Form.Item name="basePrice" label={t("listing.basePrice")} rules={[req("listing.basePrice"), priceRule]}>
                  <Input prefix="¥" suffix={t("listing.perTonne")} inputMode="decimal" maxLength={12} data-testid="listing-base-price" />
                </Form.Item>
              ) : (
                <Form.Item name="unitPrice" label={t("listing.unitPrice")} rules={[req("listing.unitPrice"), priceRule]}>
                  <Input prefix="¥" suffix={t("listing.perTonne")} inputMode="decimal" maxLength={12} data-testid="listing-unit-price" />
                </Form.Item>
              )}
            </Col>
          </Row>
          {priceMode === "base" && (
            <>
              <h4 className="sub-title">{t("listing.extras")}</h4>
              <Form.List name="extras">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f) => (
                      <ExtraRow key={f.key} name={f.name} attributes={extraAttributes} onRemove={() => remove(f.name)} />
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ attributeKey: extraAttributes[0]?.key, attributeValue: "", amount: "" })} disabled={!category} data-testid="extra-add">
                      {t("listing.addExtra")}
                    </Button>
                    <div className="field-hint">{t("listing.extrasHint")}</div>
                  </>
                )}
              </Form.List>
            </>
          )}
          <h4 className="sub-title">{t("listing.tiers")}</h4>
          <Form.List name="tiers">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Row gutter={12} key={f.key} align="top" data-testid="tier-form-row">
                    <Col xs={11} md={6}>
                      <Form.Item name={[f.name, "minQuantity"]} label={t("listing.tierMin")} rules={[{ required: true, message: t("common.required", { field: t("listing.tierMin") }) }, tonnesRule(false)]}>
                        <Input suffix={t("listing.tonnes")} inputMode="decimal" maxLength={16} data-testid={`tier-min-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col xs={11} md={6}>
                      {priceMode === "base" ? (
                        <Form.Item
                          name={[f.name, "discount"]}
                          label={t("listing.tierDiscount")}
                          rules={[{ required: true, message: t("common.required", { field: t("listing.tierDiscount") }) }, priceRule]}
                        >
                          <Input prefix="¥" suffix={t("listing.perTonne")} inputMode="decimal" maxLength={12} data-testid={`tier-discount-${i}`} />
                        </Form.Item>
                      ) : (
                        <Form.Item name={[f.name, "unitPrice"]} label={t("listing.unitPrice")} rules={[{ required: true, message: t("common.required", { field: t("listing.unitPrice") }) }, priceRule]}>
                          <Input prefix="¥" suffix={t("listing.perTonne")} inputMode="decimal" maxLength={12} data-testid={`tier-price-${i}`} />
                        </Form.Item>
                      )}
                    </Col>
                    <Col xs={2} md={1}>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} style={{ marginTop: 30 }} aria-label={t("common.delete")} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ minQuantity: "", unitPrice: "", discount: "" })} disabled={fields.length >= 10} data-testid="tier-add">
                  {t("listing.addTier")}
                </Button>
                <div className="field-hint">{t(priceMode === "base" ? "listing.tiersBaseHint" : "listing.tiersHint")}</div>
              </>
            )}
          </Form.List>
        </Card>

        <Card title={t("listing.section.stock")} className="section-card">
          <Row gutter={24}>
            <Col xs={24} md={6}>
              <Form.Item name="moq" label={t("listing.moq")} rules={[req("listing.moq"), tonnesRule(false)]}>
                <Input suffix={t("listing.tonnes")} inputMode="decimal" maxLength={16} data-testid="listing-moq" />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="stock" label={t("listing.stock")} rules={[req("listing.stock"), tonnesRule(true)]}>
                <Input suffix={t("listing.tonnes")} inputMode="decimal" maxLength={16} data-testid="listing-stock" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="weightBasis" label={t("listing.weightBasis")} rules={[{ required: true, message: t("listing.weightRequired") }]}>
                <Radio.Group data-testid="listing-weight-basis" options={bases.map((b) => ({ value: b, label: <span data-testid={`weight-basis-${b}`}>{t(WEIGHT_BASIS_KEYS[b as 1 | 2])}</span> }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="warehouseCity" label={t("listing.warehouseCity")} rules={[req("listing.warehouseCity"), { min: 2, max: 20 }]}>
                <Input maxLength={20} placeholder={t("listing.cityPlaceholder")} data-testid="listing-city" />
              </Form.Item>
            </Col>
            <Col xs={24} md={18}>
              <Form.Item name="warehouseAddress" label={t("listing.warehouseAddress")} rules={[req("listing.warehouseAddress"), { min: 5, max: 200 }]}>
                <Input maxLength={200} data-testid="listing-address" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t("listing.images")} className="section-card">
          <Form.Item name="imageFileIds" noStyle>
            <ListingImagesInput enterpriseId={enterpriseId} onError={(m) => message.error(m)} />
          </Form.Item>
        </Card>

        <div className="form-actions">
          <Button onClick={() => navigate(-1)}>{t("common.cancel")}</Button>
          <Button type="primary" htmlType="submit" loading={busy} disabled={busy || (!editing && !enterpriseId)} data-testid="listing-submit">
            {editing ? t("common.save") : t("listing.publish")}
          </Button>
        </div>
      </Form>
    </>
  );
}

/** One 加价 row: attribute, the value it applies to (an option or a number) and the amount (may be negative). */
function ExtraRow({ name, attributes, onRemove }: { name: number; attributes: AttributeLike[]; onRemove: () => void }) {
  const { t, lang } = useI18n();
  const form = Form.useFormInstance();
  const key: string | undefined = Form.useWatch(["extras", name, "attributeKey"], form);
  const a = attributes.find((x) => x.key === key);
  return (
    <Row gutter={12} align="top" data-testid="extra-row">
      <Col xs={24} md={6}>
        <Form.Item name={[name, "attributeKey"]} label={t("listing.extraAttribute")} rules={[{ required: true, message: t("listing.extraAttributeRequired") }]}>
          <Select
            options={attributes.map((x) => ({ value: x.key, label: attributeLabel(x, lang) }))}
            onChange={() => form.setFieldValue(["extras", name, "attributeValue"], "")}
            data-testid={`extra-attr-${name}`}
          />
        </Form.Item>
      </Col>
      <Col xs={24} md={6}>
        <Form.Item name={[name, "attributeValue"]} label={t("listing.extraValue")} rules={[{ required: true, whitespace: true, message: t("listing.extraValueRequired") }]}>
          {a?.kind === KIND.ENUM ? (
            <Select options={a.options.map((o) => ({ value: o.value, label: isZh(lang) ? o.labelZh : o.labelEn || o.labelZh }))} data-testid={`extra-value-${name}`} />
          ) : (
            <Input suffix={a?.unit || undefined} inputMode="decimal" maxLength={20} data-testid={`extra-value-${name}`} />
          )}
        </Form.Item>
      </Col>
      <Col xs={22} md={6}>
        <Form.Item
          name={[name, "amount"]}
          label={t("listing.extraAmount")}
          rules={[
            { required: true, whitespace: true, message: t("common.required", { field: t("listing.extraAmount") }) },
            { validator: (_, v: string) => (!v || normaliseSignedAmount(v) !== null ? Promise.resolve() : Promise.reject(new Error(t("listing.extraAmountInvalid")))) },
          ]}
        >
          <Input prefix="¥" suffix={t("listing.perTonne")} inputMode="decimal" maxLength={12} placeholder="+80 / -20" data-testid={`extra-amount-${name}`} />
        </Form.Item>
      </Col>
      <Col xs={2} md={1}>
        <Button type="text" danger icon={<DeleteOutlined />} onClick={onRemove} style={{ marginTop: 30 }} aria-label={t("common.delete")} />
      </Col>
    </Row>
  );
}
