import { useEffect, useMemo, useState } from "react";
import { App, Button, Card, Col, Empty, Form, Input, Row, Select, Space, Spin } from "antd";
import { DeleteOutlined, PlusOutlined, SaveOutlined } from "@ant-design/icons";
import { orderClient } from "../../api/client";
import { parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { TRANSPORT_KEYS } from "../../components/negotiation/labels";
import type { FreightRule } from "../../gen/b2btrade/order/v1/order_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { normaliseAmountInput } from "../../lib/money";
import { sellerEnterprises, TRANSPORT_VALUES } from "../../lib/negotiation";
import { PROVINCES } from "../../lib/orders";
import { formatTime } from "../../lib/labels";
import { useI18n } from "../../i18n";

interface RuleRow {
  province?: string;
  charge?: "perTonne" | "perTonneKm";
  amount?: string;
  distanceKm?: string;
  loading?: string;
  modes?: number[];
}

function rowOf(r: FreightRule): RuleRow {
  const c = r.charge;
  return {
    province: r.destinationProvince,
    charge: c.case === "perTonneKm" ? "perTonneKm" : "perTonne",
    amount: c.case === "perTonneKm" ? (c.value.rate?.amount ?? "") : c.case === "perTonne" ? (c.value.amount ?? "") : "",
    distanceKm: c.case === "perTonneKm" ? String(c.value.distanceKm) : "",
    loading: r.loadingPerTonne?.amount ?? "",
    modes: [...r.transportModes],
  };
}

const money = (v: string | undefined) => ({ currencyCode: "CNY", amount: normaliseAmountInput(v ?? "") ?? (v ?? "").trim() });

function ruleOf(r: RuleRow) {
  return {
    destinationProvince: r.province ?? "",
    charge:
      r.charge === "perTonneKm"
        ? { case: "perTonneKm" as const, value: { rate: { currencyCode: "CNY", amount: (r.amount ?? "").trim() }, distanceKm: Number(r.distanceKm) || 0 } }
        : { case: "perTonne" as const, value: money(r.amount) },
    loadingPerTonne: r.loading?.trim() ? money(r.loading) : undefined,
    transportModes: r.modes ?? [],
  };
}

/** "rules[2].per_tonne.amount" → ["rules", 2, "amount"]. */
function ruleFieldName(path: string): (string | number)[] | null {
  const m = /^rules\[(\d+)\]\.?(\w+)?/.exec(path);
  if (!m) return null;
  const i = Number(m[1]);
  const f = m[2] ?? "";
  const name = f === "destination_province" ? "province" : f === "loading_per_tonne" ? "loading" : f === "transport_modes" ? "modes" : path.includes("distance_km") ? "distanceKm" : "amount";
  return ["rules", i, name];
}

/** /seller/freight-rules — 运费规则: the seller's freight per tonne by destination province, or per tonne-km. */
export default function FreightRulesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { enterprises } = useMyEnterprises();
  const sellers = useMemo(() => sellerEnterprises(enterprises ?? []).filter((e) => e.profile?.isSeller !== false), [enterprises]);
  const [enterpriseId, setEnterpriseId] = useState("");
  const [form] = Form.useForm<{ rules: RuleRow[] }>();
  const [loaded, setLoaded] = useState(false);
  const [updated, setUpdated] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);

  useEffect(() => {
    if (!enterpriseId && sellers.length) setEnterpriseId(sellers[0].enterpriseId);
  }, [sellers, enterpriseId]);

  useEffect(() => {
    if (!enterpriseId) return;
    setLoaded(false);
    orderClient
      .getFreightRules({ sellerEnterpriseId: enterpriseId })
      .then((r) => {
        form.setFieldsValue({ rules: r.rules.map(rowOf) });
        setUpdated(r.updatedAt ? formatTime(r.updatedAt) : "");
      })
      .catch((e) => setError(parseError(e)))
      .finally(() => setLoaded(true));
  }, [enterpriseId, form]);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const rows = (form.getFieldValue("rules") as RuleRow[] | undefined) ?? [];
      const res = await orderClient.setFreightRules({ sellerEnterpriseId: enterpriseId, rules: rows.map(ruleOf) });
      form.setFieldsValue({ rules: res.rules.map(rowOf) });
      message.success(t("freight.saved"));
    } catch (e) {
      const err = parseError(e);
      setError(err);
      const rest: FieldViolation[] = [];
      const fields: { name: (string | number)[]; errors: string[] }[] = [];
      for (const v of err.fieldViolations) {
        const name = ruleFieldName(v.field);
        if (name) fields.push({ name, errors: [v.description] });
        else rest.push(v);
      }
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setUnmapped(rest);
    } finally {
      setBusy(false);
    }
  };

  if (!enterprises) return <Spin style={{ display: "block", margin: 80 }} />;
  if (sellers.length === 0)
    return (
      <>
        <PageHeader title={t("nav.freightRules")} />
        <Empty description={t("neg.noSellerEnterprise")} />
      </>
    );

  return (
    <>
      <PageHeader
        title={t("nav.freightRules")}
        sub={updated ? <span className="small muted">{t("common.updatedAt")} {updated}</span> : undefined}
        extra={
          <Select
            style={{ minWidth: 260 }}
            value={enterpriseId || undefined}
            onChange={setEnterpriseId}
            options={sellers.map((e) => ({ value: e.enterpriseId, label: e.profile?.legalName ?? e.enterpriseId }))}
            data-testid="freight-enterprise"
          />
        }
      />
      <Card>
        <FormError error={error} unmapped={unmapped} />
        {!loaded ? (
          <Spin />
        ) : (
          <Form form={form} layout="vertical" name="freight" onFinish={() => void save()}>
            <Form.List name="rules">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Row gutter={8} key={f.key} align="bottom" data-testid="freight-rule">
                      <Col xs={24} md={5}>
                        <Form.Item name={[f.name, "province"]} label={i === 0 ? t("freight.province") : undefined}>
                          <Select showSearch options={[{ value: "*", label: t("freight.anyProvince") }, ...PROVINCES.map((p) => ({ value: p, label: p }))]} data-testid={`freight-province-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={4}>
                        <Form.Item name={[f.name, "charge"]} label={i === 0 ? t("freight.charge") : undefined} initialValue="perTonne">
                          <Select
                            options={[
                              { value: "perTonne", label: t("freight.perTonne") },
                              { value: "perTonneKm", label: t("freight.perTonneKm") },
                            ]}
                            data-testid={`freight-charge-${i}`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={3}>
                        <Form.Item name={[f.name, "amount"]} label={i === 0 ? t("freight.rate") : undefined}>
                          <Input prefix="¥" inputMode="decimal" data-testid={`freight-amount-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={3}>
                        <Form.Item noStyle shouldUpdate>
                          {() =>
                            form.getFieldValue(["rules", f.name, "charge"]) === "perTonneKm" ? (
                              <Form.Item name={[f.name, "distanceKm"]} label={i === 0 ? t("freight.distance") : undefined}>
                                <Input suffix="km" inputMode="numeric" data-testid={`freight-distance-${i}`} />
                              </Form.Item>
                            ) : (
                              <Form.Item label={i === 0 ? t("freight.distance") : undefined}>
                                <Input disabled value="—" />
                              </Form.Item>
                            )
                          }
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={3}>
                        <Form.Item name={[f.name, "loading"]} label={i === 0 ? t("freight.loading") : undefined}>
                          <Input prefix="¥" inputMode="decimal" data-testid={`freight-loading-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={20} md={5}>
                        <Form.Item name={[f.name, "modes"]} label={i === 0 ? t("freight.modes") : undefined}>
                          <Select mode="multiple" allowClear placeholder={t("freight.allModes")} options={TRANSPORT_VALUES.map((v) => ({ value: v, label: t(TRANSPORT_KEYS[v]) }))} data-testid={`freight-modes-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={4} md={1}>
                        <Form.Item label={i === 0 ? " " : undefined}>
                          <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("common.delete")} />
                        </Form.Item>
                      </Col>
                    </Row>
                  ))}
                  {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("freight.none")} />}
                  <Space style={{ marginTop: 8 }}>
                    <Button icon={<PlusOutlined />} onClick={() => add({ charge: "perTonne" })} data-testid="freight-add">
                      {t("freight.add")}
                    </Button>
                    <Button type="primary" icon={<SaveOutlined />} loading={busy} htmlType="submit" data-testid="freight-save">
                      {t("common.save")}
                    </Button>
                  </Space>
                </>
              )}
            </Form.List>
          </Form>
        )}
      </Card>
    </>
  );
}
