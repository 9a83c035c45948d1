import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert, App, Button, Card, Checkbox, Col, Empty, Form, Input, Row, Select, Space, Spin, Table, Tag, Tree, Typography } from "antd";
import type { DataNode } from "antd/es/tree";
import { DeleteOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { useSearchParams } from "react-router";
import { catalogClient } from "../../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { WEIGHT_BASIS_KEYS } from "../../components/ListingBits";
import type { Category } from "../../gen/b2btrade/catalog/v1/catalog_service_pb";
import { invalidateCategories, loadCategories, type Tree as CategoryTreeT } from "../../lib/catalogData";
import { KIND, attributeLabel, categoryName, pathTo, type AttributeLike } from "../../lib/categories";
import {
  INHERIT_VAT,
  VAT_RATES,
  categoryFieldName,
  categoryFromForm,
  formFromCategory,
  inheritedAttributes,
  newAttributeRow,
  newCategoryForm,
  parentChoices,
  validAttributeKey,
  validCategoryId,
  vatValue,
  type AttributeRow,
  type CategoryFormValues,
} from "../../lib/categoryForm";
import { compareDecimal, isDecimal } from "../../lib/decimal";
import { useI18n, type MsgKey } from "../../i18n";

const KNOWN = ["categoryId", "parentId", "nameZh", "nameEn", "vatRate", "weightBases", "attributes"];
const MAX_DEPTH = 5;

const KIND_KEYS: Record<number, MsgKey> = {
  [KIND.ENUM]: "catm.kind.enum",
  [KIND.NUMBER]: "catm.kind.number",
  [KIND.RANGE]: "catm.kind.range",
  [KIND.TEXT]: "catm.kind.text",
};

function percent(rate: string): string {
  if (!isDecimal(rate)) return rate;
  // "0.13" → "13%" exactly (two decimal places of a fraction).
  const [i, f = ""] = rate.split(".");
  const scaled = `${i}${f.padEnd(2, "0").slice(0, 2)}`.replace(/^0+(?=\d)/, "");
  const rest = f.slice(2).replace(/0+$/, "");
  return `${scaled}${rest ? `.${rest}` : ""}%`;
}

/** What an inherited (read-only) attribute looks like: its kind and the kind's details. */
function attributeSummary(a: AttributeLike, lang: string, t: ReturnType<typeof useI18n>["t"]): string {
  const kind = t(KIND_KEYS[a.kind] ?? "listing.change.unknown");
  switch (a.kind) {
    case KIND.ENUM:
      return `${kind} · ${a.options.map((o) => (lang.startsWith("zh") ? o.labelZh : o.labelEn || o.labelZh)).join(" / ")}`;
    case KIND.NUMBER:
    case KIND.RANGE:
      return `${kind} · ${a.prefix ?? ""}${a.min?.value ?? ""}–${a.max?.value ?? ""} ${a.unit}`.trim();
    default:
      return `${kind} · ≤ ${a.maxLength}`;
  }
}

/** 类目管理 (operators): the category tree and a form to add a category or edit one (UpsertCategory). */
export default function CategoriesPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const [tree, setTree] = useState<CategoryTreeT | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const [expanded, setExpanded] = useState<string[] | null>(null);

  const reload = useCallback(async () => {
    invalidateCategories();
    try {
      const next = await loadCategories();
      setTree(next);
      setLoadError(null);
      setVersion((v) => v + 1);
      return next;
    } catch (e) {
      setLoadError(parseError(e));
      return null;
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const selected = params.get("id") ?? "";
  const newUnder = params.get("new");
  const mode: "new" | "edit" | "none" = newUnder !== null ? "new" : selected && tree?.byId.has(selected) ? "edit" : "none";
  const selectedCategory = tree?.byId.get(selected);

  // Roots open at first; the selected category's path stays open.
  const expandedKeys = useMemo(() => {
    if (!tree) return [];
    const base = expanded ?? tree.roots.map((r) => r.categoryId);
    const focus = mode === "new" ? (newUnder ?? "") : selected;
    const path = pathTo(tree, focus).map((c) => c.categoryId);
    return [...new Set([...base, ...path])];
  }, [tree, expanded, mode, newUnder, selected]);

  const treeData = useMemo<DataNode[]>(() => {
    if (!tree) return [];
    const build = (c: Category): DataNode => {
      const kids = tree.children.get(c.categoryId) ?? [];
      return {
        key: c.categoryId,
        title: (
          <span data-testid={`catm-node-${c.categoryId}`} className="catm-node">
            {categoryName(c, lang)} <span className="muted small mono">{c.categoryId}</span>
            {kids.length === 0 && (
              <Tag className="catm-leaf-tag" variant="filled">
                {t("catm.leaf")}
              </Tag>
            )}
          </span>
        ),
        children: kids.length ? kids.map(build) : undefined,
        isLeaf: kids.length === 0,
      };
    };
    return tree.roots.map(build);
  }, [tree, lang, t]);

  const go = (p: Record<string, string>) => setParams(p, { replace: false });

  const onSaved = async (id: string) => {
    await reload();
    go({ id });
  };

  return (
    <>
      <PageHeader
        title={t("catm.title")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => reload()} data-testid="catm-refresh">
            {t("common.refresh")}
          </Button>
        }
      />
      {loadError && <Alert type="error" showIcon title={loadError.message} style={{ marginBottom: 16 }} />}
      {!tree ? (
        !loadError && <Spin style={{ display: "block", margin: 80 }} />
      ) : (
        <Row gutter={16} align="top">
          <Col xs={24} lg={9}>
            <Card title={t("catm.tree")} size="small" className="section-card">
              <Space size={6} wrap style={{ marginBottom: 12 }}>
                <Button size="small" icon={<PlusOutlined />} onClick={() => go({ new: "" })} data-testid="catm-add-root">
                  {t("catm.addRoot")}
                </Button>
                <Button
                  size="small"
                  type="primary"
                  icon={<PlusOutlined />}
                  disabled={!selectedCategory || selectedCategory.level >= MAX_DEPTH}
                  onClick={() => go({ new: selected })}
                  data-testid="catm-add-child"
                >
                  {t("catm.addChild")}
                </Button>
              </Space>
              <Tree
                blockNode
                showLine
                treeData={treeData}
                selectedKeys={mode === "edit" ? [selected] : mode === "new" && newUnder ? [newUnder] : []}
                expandedKeys={expandedKeys}
                onExpand={(keys) => setExpanded(keys.map(String))}
                onSelect={(keys) => {
                  const id = String(keys[0] ?? "");
                  if (id) go({ id });
                }}
                data-testid="catm-tree"
              />
            </Card>
          </Col>
          <Col xs={24} lg={15}>
            {mode === "none" ? (
              <Card className="section-card">
                <Empty description={t("catm.pick")} />
              </Card>
            ) : (
              <CategoryEditor
                key={`${mode}:${mode === "new" ? newUnder : selected}:${version}`}
                tree={tree}
                mode={mode}
                categoryId={mode === "edit" ? selected : ""}
                parentId={mode === "new" ? (newUnder ?? "") : ""}
                onSaved={onSaved}
              />
            )}
          </Col>
        </Row>
      )}
    </>
  );
}

function CategoryEditor({
  tree,
  mode,
  categoryId,
  parentId: newParentId,
  onSaved,
}: {
  tree: CategoryTreeT;
  mode: "new" | "edit";
  categoryId: string;
  parentId: string;
  onSaved: (id: string) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CategoryFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const [hasListings, setHasListings] = useState("");

  const initial = useMemo<CategoryFormValues>(() => {
    if (mode === "edit") return formFromCategory(tree, categoryId)?.values ?? newCategoryForm("");
    const blank = newCategoryForm(newParentId);
    return { ...blank, categoryId: newParentId ? `${newParentId}.` : "" };
  }, [mode, tree, categoryId, newParentId]);

  const parentId: string = Form.useWatch("parentId", form) ?? initial.parentId;
  const parent = parentId ? tree.byId.get(parentId) : undefined;
  const inherited = useMemo(() => inheritedAttributes(tree, parentId), [tree, parentId]);
  const inheritedKeys = useMemo(() => new Set(inherited.map((a) => a.key)), [inherited]);
  const category = mode === "edit" ? tree.byId.get(categoryId) : undefined;
  const topLevel = !parentId;

  const pathLabel = (id: string) =>
    pathTo(tree, id)
      .map((c) => categoryName(c, lang))
      .join(" / ");

  const parentOptions = [
    { value: "", label: t("catm.topLevel") },
    ...parentChoices(tree, mode === "edit" ? categoryId : "", MAX_DEPTH).map((c) => ({ value: c.categoryId, label: `${pathLabel(c.categoryId)} (${c.categoryId})` })),
  ];
  const basesText = (parent?.weightBases ?? []).map((b) => t(WEIGHT_BASIS_KEYS[b as 1 | 2] ?? "common.none")).join(" / ");

  const save = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const values = form.getFieldsValue(true) as CategoryFormValues;
    setBusy(true);
    setError(null);
    setUnmapped([]);
    setHasListings("");
    try {
      const res = await catalogClient.upsertCategory({ category: categoryFromForm(values), etag: tree.etag ?? "" });
      message.success(t(mode === "new" ? "catm.created" : "catm.saved"));
      await onSaved(res.category?.categoryId ?? values.categoryId.trim());
    } catch (e) {
      const err = parseError(e);
      if (err.code === Code.FailedPrecondition && err.reason === "CATEGORY_HAS_LISTINGS") {
        const name = categoryName(tree.byId.get(values.parentId), lang) || values.parentId;
        setHasListings(t("catm.hasListings", { name }));
        form.setFields([{ name: "parentId", errors: [err.message] }]);
      } else {
        setError(err);
        setUnmapped(applyFieldErrors(form, err, { known: KNOWN, resolve: categoryFieldName }));
      }
    } finally {
      setBusy(false);
    }
  };

  const title = mode === "new" ? t("catm.newTitle") : t("catm.editTitle", { name: categoryName(category, lang) });

  return (
    <Card title={<span data-testid="catm-editor-title">{title}</span>} size="small" className="section-card" data-testid="catm-editor" data-mode={mode}>
      <Form<CategoryFormValues> form={form} layout="vertical" name="category" initialValues={initial} onFinish={save} scrollToFirstError>
        {hasListings && <Alert type="error" showIcon title={hasListings} style={{ marginBottom: 16 }} data-testid="catm-has-listings" />}
        <FormError error={error} unmapped={unmapped} />
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="categoryId"
              label={t("catm.id")}
              extra={mode === "new" ? t("catm.idHint") : undefined}
              rules={[
                { required: true, whitespace: true, message: t("common.required", { field: t("catm.id") }) },
                {
                  validator: (_, v: string) => {
                    if (!v || mode === "edit") return Promise.resolve();
                    if (!validCategoryId(v)) return Promise.reject(new Error(t("catm.idInvalid")));
                    // UpsertCategory replaces a category with the same id: a new one must not take an existing id.
                    const taken = tree.byId.get(v.trim());
                    if (taken) return Promise.reject(new Error(t("catm.idExists", { id: v.trim(), name: categoryName(taken, lang) })));
                    return Promise.resolve();
                  },
                },
              ]}
            >
              <Input maxLength={64} disabled={mode === "edit"} className="mono" data-testid="catm-id" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="parentId" label={t("catm.parent")}>
              <Select
                showSearch={{ optionFilterProp: "label" }}
                options={parentOptions}
                data-testid="catm-parent"
                onChange={() => form.setFields([{ name: "parentId", errors: [] }])}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="nameZh" label={t("catm.nameZh")} rules={[{ required: true, whitespace: true, message: t("common.required", { field: t("catm.nameZh") }) }, { max: 20 }]}>
              <Input maxLength={20} data-testid="catm-name-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="nameEn" label={t("catm.nameEn")} rules={[{ required: true, whitespace: true, message: t("common.required", { field: t("catm.nameEn") }) }, { max: 50 }]}>
              <Input maxLength={50} data-testid="catm-name-en" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="vatRate"
              label={t("catm.vat")}
              dependencies={["parentId"]}
              rules={[
                {
                  validator: (_, v: string) =>
                    !form.getFieldValue("parentId") && (v ?? "") === INHERIT_VAT ? Promise.reject(new Error(t("catm.vatRequired"))) : Promise.resolve(),
                },
              ]}
            >
              <Select
                data-testid="catm-vat"
                options={[
                  ...(topLevel ? [] : [{ value: INHERIT_VAT, label: t("catm.vatInherit", { rate: percent(vatValue(parent?.vatRate?.value)) }) }]),
                  ...VAT_RATES.map((r) => ({ value: r, label: percent(r) })),
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="weightBases"
              label={t("catm.weightBases")}
              extra={topLevel ? undefined : t("catm.weightInherit", { bases: basesText || t("common.none") })}
              dependencies={["parentId"]}
              rules={[
                {
                  validator: (_, v: number[] | undefined) =>
                    !form.getFieldValue("parentId") && !(v ?? []).length ? Promise.reject(new Error(t("catm.weightRequired"))) : Promise.resolve(),
                },
              ]}
            >
              <Checkbox.Group
                data-testid="catm-weight"
                options={[1, 2].map((b) => ({ value: b, label: <span data-testid={`catm-weight-${b}`}>{t(WEIGHT_BASIS_KEYS[b as 1 | 2])}</span> }))}
              />
            </Form.Item>
          </Col>
        </Row>

        {inherited.length > 0 && (
          <>
            <h4 className="sub-title">{t("catm.inherited")}</h4>
            <Typography.Paragraph type="secondary" className="small" style={{ marginBottom: 8 }}>
              {t("catm.inheritedHint")}
            </Typography.Paragraph>
            <Table<AttributeLike>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={inherited}
              data-testid="catm-inherited"
              onRow={(a) => ({ "data-testid": "catm-inherited-row", "data-key": a.key }) as React.HTMLAttributes<HTMLElement>}
              style={{ marginBottom: 16 }}
              columns={[
                { title: t("catm.attrKey"), key: "key", render: (_, a) => <span className="mono">{a.key}</span> },
                { title: t("catm.label"), key: "label", render: (_, a) => attributeLabel(a, lang) },
                { title: t("catm.kind"), key: "kind", render: (_, a) => <span className="small">{attributeSummary(a, lang, t)}</span> },
                {
                  title: "",
                  key: "flags",
                  render: (_, a) => (
                    <Space size={2} wrap>
                      {a.required && <Tag>{t("catm.required")}</Tag>}
                      {a.filterable && <Tag>{t("catm.filterable")}</Tag>}
                      {a.shownInList && <Tag>{t("catm.shownInList")}</Tag>}
                    </Space>
                  ),
                },
              ]}
            />
          </>
        )}

        <h4 className="sub-title">{t("catm.ownAttributes")}</h4>
        <Form.List name="attributes">
          {(fields, { add, remove }) => (
            <>
              {fields.length === 0 && <div className="muted small" style={{ marginBottom: 8 }}>{t("catm.noOwnAttributes")}</div>}
              {fields.map((f, i) => (
                <AttributeEditor key={f.key} name={f.name} index={i} inheritedKeys={inheritedKeys} onRemove={() => remove(f.name)} />
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newAttributeRow())} data-testid="catm-attr-add">
                {t("catm.addAttribute")}
              </Button>
            </>
          )}
        </Form.List>
        <div className="field-hint">{t("catm.schemaNote")}</div>

        <div className="form-actions">
          <Button
            onClick={() => {
              form.resetFields();
              setError(null);
              setUnmapped([]);
              setHasListings("");
            }}
          >
            {t("catm.reset")}
          </Button>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="catm-save">
            {t("common.save")}
          </Button>
        </div>
      </Form>
    </Card>
  );
}

/** One own attribute: key, labels, kind and the kind's details, flags. */
function AttributeEditor({ name, index, inheritedKeys, onRemove }: { name: number; index: number; inheritedKeys: Set<string>; onRemove: () => void }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<CategoryFormValues>();
  const kind: number | undefined = Form.useWatch(["attributes", name, "kind"], form);
  const numeric = kind === KIND.NUMBER || kind === KIND.RANGE;
  const required = (field: MsgKey) => ({ required: true, whitespace: true, message: t("common.required", { field: t(field) }) });
  const decimalRule = {
    validator: (_: unknown, v: string) => (!v || !v.trim() || isDecimal(v) ? Promise.resolve() : Promise.reject(new Error(t("catm.numberInvalid")))),
  };
  const intRule = (min: number, max: number) => ({
    validator: (_: unknown, v: string | number) => {
      const text = String(v ?? "").trim();
      if (!text) return Promise.resolve();
      return /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? Promise.resolve() : Promise.reject(new Error(`${min}–${max}`));
    },
  });

  return (
    <Card size="small" className="catm-attr" data-testid="catm-attr" style={{ marginBottom: 12 }}>
      <Row gutter={12} align="top">
        <Col xs={24} md={6}>
          <Form.Item
            name={[name, "key"]}
            label={t("catm.attrKey")}
            rules={[
              required("catm.attrKey"),
              {
                validator: (_, v: string) => {
                  const key = (v ?? "").trim();
                  if (!key) return Promise.resolve();
                  if (!validAttributeKey(key)) return Promise.reject(new Error(t("catm.attrKeyInvalid")));
                  const rows = (form.getFieldValue("attributes") as AttributeRow[] | undefined) ?? [];
                  const dup = inheritedKeys.has(key) || rows.some((r, j) => j !== name && (r?.key ?? "").trim() === key);
                  return dup ? Promise.reject(new Error(t("catm.attrKeyDuplicate", { key }))) : Promise.resolve();
                },
              },
            ]}
          >
            <Input maxLength={32} className="mono" data-testid={`catm-attr-key-${index}`} />
          </Form.Item>
        </Col>
        <Col xs={12} md={5}>
          <Form.Item name={[name, "labelZh"]} label={t("catm.labelZh")} rules={[required("catm.labelZh"), { max: 20 }]}>
            <Input maxLength={20} data-testid={`catm-attr-label-zh-${index}`} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={[name, "labelEn"]} label={t("catm.labelEn")} rules={[required("catm.labelEn"), { max: 50 }]}>
            <Input maxLength={50} data-testid={`catm-attr-label-en-${index}`} />
          </Form.Item>
        </Col>
        <Col xs={20} md={6}>
          <Form.Item name={[name, "kind"]} label={t("catm.kind")} rules={[{ required: true, message: t("common.required", { field: t("catm.kind") }) }]}>
            <Select
              data-testid={`catm-attr-kind-${index}`}
              options={[KIND.ENUM, KIND.NUMBER, KIND.RANGE, KIND.TEXT].map((k) => ({ value: k, label: t(KIND_KEYS[k]) }))}
              onChange={(k: number) => {
                const options = form.getFieldValue(["attributes", name, "options"]) as unknown[] | undefined;
                if (k === KIND.ENUM && !options?.length) form.setFieldValue(["attributes", name, "options"], [{ value: "", labelZh: "", labelEn: "" }]);
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={4} md={1}>
          <Button type="text" danger icon={<DeleteOutlined />} onClick={onRemove} style={{ marginTop: 30 }} aria-label={t("catm.removeAttribute")} data-testid={`catm-attr-remove-${index}`} />
        </Col>
      </Row>

      {kind === KIND.ENUM && (
        <Form.List
          name={[name, "options"]}
          rules={[{ validator: (_, v: unknown[] | undefined) => ((v ?? []).length ? Promise.resolve() : Promise.reject(new Error(t("catm.optionsRequired")))) }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div className="catm-options" data-testid={`catm-options-${index}`}>
              <div className="muted small" style={{ marginBottom: 4 }}>
                {t("catm.options")}
              </div>
              {fields.map((f, j) => (
                <Row gutter={8} key={f.key} align="top">
                  <Col xs={8} md={6}>
                    <Form.Item name={[f.name, "value"]} rules={[required("catm.optionValue"), { max: 50 }]}>
                      <Input maxLength={50} placeholder={t("catm.optionValue")} className="mono" data-testid={`catm-opt-value-${index}-${j}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={7} md={8}>
                    <Form.Item name={[f.name, "labelZh"]} rules={[required("catm.labelZh")]}>
                      <Input maxLength={50} placeholder={t("catm.labelZh")} data-testid={`catm-opt-zh-${index}-${j}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={7} md={8}>
                    <Form.Item name={[f.name, "labelEn"]} rules={[required("catm.labelEn")]}>
                      <Input maxLength={50} placeholder={t("catm.labelEn")} data-testid={`catm-opt-en-${index}-${j}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={2} md={2}>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("common.delete")} />
                  </Col>
                </Row>
              ))}
              <Form.ErrorList errors={errors} />
              <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ value: "", labelZh: "", labelEn: "" })} data-testid={`catm-opt-add-${index}`}>
                {t("catm.addOption")}
              </Button>
            </div>
          )}
        </Form.List>
      )}

      {numeric && (
        <Row gutter={12}>
          <Col xs={12} md={4}>
            <Form.Item name={[name, "unit"]} label={t("catm.unit")} rules={[{ max: 10 }]}>
              <Input maxLength={10} data-testid={`catm-attr-unit-${index}`} />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name={[name, "prefix"]} label={t("catm.prefix")} rules={[{ max: 3 }]}>
              <Input maxLength={3} data-testid={`catm-attr-prefix-${index}`} />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item name={[name, "min"]} label={t("catm.min")} rules={[required("catm.min"), decimalRule]}>
              <Input inputMode="decimal" maxLength={20} data-testid={`catm-attr-min-${index}`} />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item
              name={[name, "max"]}
              label={t("catm.max")}
              dependencies={[["attributes", name, "min"]]}
              rules={[
                required("catm.max"),
                decimalRule,
                {
                  validator: (_, v: string) => {
                    const min = String(form.getFieldValue(["attributes", name, "min"]) ?? "").trim();
                    const max = (v ?? "").trim();
                    return isDecimal(min) && isDecimal(max) && compareDecimal(min, max) >= 0 ? Promise.reject(new Error(t("catm.boundsOrder"))) : Promise.resolve();
                  },
                },
              ]}
            >
              <Input inputMode="decimal" maxLength={20} data-testid={`catm-attr-max-${index}`} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={[name, "decimals"]} label={t("catm.decimals")} rules={[intRule(0, 6)]}>
              <Input inputMode="numeric" maxLength={1} data-testid={`catm-attr-decimals-${index}`} />
            </Form.Item>
          </Col>
        </Row>
      )}

      {kind === KIND.TEXT && (
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item name={[name, "maxLength"]} label={t("catm.maxLength")} rules={[required("catm.maxLength"), intRule(1, 500)]}>
              <Input inputMode="numeric" maxLength={3} data-testid={`catm-attr-max-length-${index}`} />
            </Form.Item>
          </Col>
        </Row>
      )}

      <Space size={16} wrap>
        <Form.Item name={[name, "required"]} valuePropName="checked" noStyle>
          <Checkbox data-testid={`catm-attr-required-${index}`}>{t("catm.required")}</Checkbox>
        </Form.Item>
        <Form.Item name={[name, "filterable"]} valuePropName="checked" noStyle>
          <Checkbox data-testid={`catm-attr-filterable-${index}`}>{t("catm.filterable")}</Checkbox>
        </Form.Item>
        <Form.Item name={[name, "shownInList"]} valuePropName="checked" noStyle>
          <Checkbox data-testid={`catm-attr-list-${index}`}>{t("catm.shownInList")}</Checkbox>
        </Form.Item>
      </Space>
    </Card>
  );
}
