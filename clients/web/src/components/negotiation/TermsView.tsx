import { Descriptions, Empty, Tag } from "antd";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Terms, Totals } from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { formatTonnes } from "../../lib/decimal";
import { formatTime } from "../../lib/labels";
import { formatAmount, formatMoney } from "../../lib/money";
import { totalsLines, type TotalsLineKey } from "../../lib/negotiation";
import { useI18n, type MsgKey } from "../../i18n";
import { CHARGE_KEYS, DELIVERY_BASIS_KEYS, SERVICE_KEYS, TRANSPORT_KEYS, dateText, paymentText, type AttributeFormat } from "./labels";

export const TOTAL_KEYS: Record<TotalsLineKey, MsgKey> = {
  goods: "neg.totals.goods",
  discount: "neg.totals.discount",
  services: "neg.totals.services",
  total: "neg.totals.total",
  effective: "neg.totals.effective",
  deposit: "neg.totals.deposit",
};

/** The platform's totals of a version: goods − discount + services = total, per tonne, deposit. */
export function TotalsBox({ totals, testId = "totals" }: { totals: Totals | undefined; testId?: string }) {
  const { t } = useI18n();
  const lines = totalsLines(totals);
  if (lines.length === 0) return <div className="muted small" data-testid={testId}>{t("neg.totals.none")}</div>;
  return (
    <div className="totals-box" data-testid={testId}>
      {lines.map((l) => (
        <div key={l.key} className={`totals-line totals-${l.key}`}>
          <span>{t(TOTAL_KEYS[l.key])}</span>
          <span className="amount" data-testid={`${testId}-${l.key}`}>
            {l.key === "discount" ? "−" : ""}
            {formatAmount(l.amount.amount, l.amount.currencyCode)}
          </span>
        </div>
      ))}
    </div>
  );
}

/** Every field of a version's terms. */
export function TermsDescriptions({ terms, attributes }: { terms: Terms | undefined; attributes?: AttributeFormat }) {
  const { t } = useI18n();
  if (!terms) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const attrs = Object.entries(terms.attributes);
  const validUntil = terms.validUntil ? timestampMs(terms.validUntil) : 0;
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2 }}
      data-testid="terms-descriptions"
      items={[
        { key: "product", label: t("neg.f.productName"), children: <span data-testid="term-product">{terms.productName || "—"}</span>, span: 2 },
        ...(attrs.length
          ? [
              {
                key: "attrs",
                label: t("neg.f.attributes"),
                span: 2,
                children: (
                  <span data-testid="term-attributes">
                    {attrs.map(([k, v]) => (
                      <Tag key={k}>
                        {attributes ? attributes.label(k) : k}: {attributes ? attributes.text(k, v) : v}
                      </Tag>
                    ))}
                  </span>
                ),
              },
            ]
          : []),
        {
          key: "qty",
          label: t("neg.f.quantity"),
          children: (
            <span className="amount" data-testid="term-quantity">
              {formatTonnes(terms.quantityTonnes?.value)} {t("listing.tonnes")}
            </span>
          ),
        },
        {
          key: "price",
          label: t("neg.f.unitPrice"),
          children: (
            <span className="amount" data-testid="term-unit-price">
              {terms.unitPrice?.amount ? `${formatMoney(terms.unitPrice)} ${t("listing.perTonne")}` : "—"}
              {terms.unitPrice?.amount && terms.taxIncluded ? <Tag color="gold" style={{ marginLeft: 6 }}>{t("listing.taxIncluded")}</Tag> : null}
            </span>
          ),
        },
        { key: "basis", label: t("neg.f.deliveryBasis"), children: t(DELIVERY_BASIS_KEYS[terms.deliveryBasis] ?? "common.none") },
        { key: "date", label: t("neg.f.deliveryDate"), children: <span data-testid="term-delivery-date">{dateText(terms.deliveryDate)}</span> },
        { key: "place", label: t("neg.f.deliveryPlace"), children: <span data-testid="term-delivery-place">{terms.deliveryPlace || "—"}</span> },
        { key: "transport", label: t("neg.f.transportMode"), children: <span data-testid="term-transport">{terms.transportMode ? t(TRANSPORT_KEYS[terms.transportMode]) : "—"}</span> },
        { key: "quality", label: t("neg.f.qualityStandard"), children: terms.qualityStandard || "—" },
        { key: "payment", label: t("neg.f.payment"), children: <span data-testid="term-payment">{paymentText(terms.payment)}</span> },
        ...(terms.services.length
          ? [
              {
                key: "services",
                label: t("neg.f.services"),
                span: 2,
                children: (
                  <span data-testid="term-services">
                    {terms.services.map((s, i) => (
                      <Tag key={i}>
                        {t(SERVICE_KEYS[s.kind] ?? "common.none")} {formatMoney(s.amount)}
                        {s.unit ? ` ${t(CHARGE_KEYS[s.unit])}` : ""}
                      </Tag>
                    ))}
                  </span>
                ),
              },
            ]
          : []),
        ...(terms.volumeDiscounts.length
          ? [
              {
                key: "discounts",
                label: t("neg.f.discounts"),
                span: 2,
                children: (
                  <span data-testid="term-discounts">
                    {terms.volumeDiscounts.map((d, i) => (
                      <Tag key={i}>{t("neg.discountLine", { min: formatTonnes(d.minQuantityTonnes?.value), amount: formatMoney(d.discountPerTonne) })}</Tag>
                    ))}
                  </span>
                ),
              },
            ]
          : []),
        {
          key: "valid",
          label: t("neg.f.validUntil"),
          children: <span data-testid="term-valid-until">{validUntil ? formatTime(terms.validUntil) : "—"}</span>,
        },
        ...(terms.notes
          ? [{ key: "notes", label: t("neg.f.notes"), span: 2, children: <span className="plain-text" data-testid="term-notes">{terms.notes}</span> }]
          : []),
      ]}
    />
  );
}

/** One line of key terms: "300.000 吨 × ¥3,650.00 · 交货 2026-12-01 · 上海 · 汽运". */
export function KeyTerms({ terms }: { terms: Terms | undefined }) {
  const { t } = useI18n();
  if (!terms) return null;
  const parts = [
    `${formatTonnes(terms.quantityTonnes?.value)} ${t("listing.tonnes")}`,
    terms.unitPrice?.amount ? `× ${formatMoney(terms.unitPrice)}` : t("neg.noTargetPrice"),
  ];
  const rest = [
    terms.deliveryDate?.year ? t("neg.deliverOn", { date: dateText(terms.deliveryDate) }) : "",
    terms.deliveryPlace,
    terms.transportMode ? t(TRANSPORT_KEYS[terms.transportMode]) : "",
    terms.payment ? paymentText(terms.payment) : "",
  ].filter((x) => x && x !== "—");
  return (
    <span className="key-terms" data-testid="key-terms">
      <span className="amount">{parts.join(" ")}</span>
      {rest.length > 0 && <span className="muted"> · {rest.join(" · ")}</span>}
    </span>
  );
}
