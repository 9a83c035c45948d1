import { Empty, Spin, Table, Tag } from "antd";
import { PriceItemKind, type OrderLine, type PriceBreakdown } from "../../gen/b2btrade/order/v1/order_service_pb";
import { formatTonnes } from "../../lib/decimal";
import { formatMoney } from "../../lib/money";
import { useI18n } from "../../i18n";
import { paymentText } from "../negotiation/labels";
import { FREIGHT_BEARER_KEYS, PRICE_ITEM_KEYS } from "./labels";

/**
 * The platform's price of an order, line by line: goods lines, the breakdown items (货款, 运费, 装卸费, 优惠 …), amount
 * excluding tax, VAT, total with 大写, deposit. Every figure comes from the server (PreviewOrder / the order).
 */
export function PriceBreakdownView({ price, loading, testId = "breakdown" }: { price: PriceBreakdown | undefined; loading?: boolean; testId?: string }) {
  const { t } = useI18n();
  if (!price) return loading ? <Spin style={{ display: "block", margin: 24 }} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("ord.preview.none")} data-testid={`${testId}-empty`} />;
  return (
    <div className={`breakdown ${loading ? "breakdown-stale" : ""}`} data-testid={testId} data-loading={loading ? "1" : "0"}>
      <Table<OrderLine>
        size="small"
        pagination={false}
        rowKey={(r, i) => `${r.listingId}-${i}`}
        dataSource={price.lines}
        data-testid={`${testId}-lines`}
        onRow={() => ({ "data-testid": `${testId}-line` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("listing.product"), key: "name", render: (_, r) => <span data-testid="line-product">{r.productName}</span> },
          { title: t("neg.f.quantity"), key: "qty", align: "right", render: (_, r) => <span className="amount" data-testid="line-quantity">{formatTonnes(r.quantityTonnes?.value)} {t("listing.tonnes")}</span> },
          { title: t("ord.unitPriceTax"), key: "price", align: "right", render: (_, r) => <span className="amount">{formatMoney(r.unitPrice)}</span> },
          { title: t("ord.vatRate"), key: "vat", align: "right", render: (_, r) => (r.vatRatePercent?.value ? `${r.vatRatePercent.value}%` : "—") },
          { title: t("ord.amount"), key: "amount", align: "right", render: (_, r) => <span className="amount" data-testid="line-amount">{formatMoney(r.amount)}</span> },
        ]}
      />
      <div className="totals-box" style={{ marginTop: 12 }}>
        {price.items.map((it, i) => (
          <div key={i} className="totals-line" data-testid={`${testId}-item`} data-kind={PriceItemKind[it.kind]}>
            <span>
              {it.label || t(PRICE_ITEM_KEYS[it.kind] ?? "common.none")}
              {it.basis && <span className="muted small" style={{ marginLeft: 6 }} data-testid="item-basis">{it.basis}</span>}
            </span>
            <span className="amount" data-testid="item-amount">{formatMoney(it.amount)}</span>
          </div>
        ))}
        <div className="totals-line">
          <span>{t("ord.exTax")}</span>
          <span className="amount" data-testid={`${testId}-ex-tax`}>{formatMoney(price.amountExcludingTax)}</span>
        </div>
        <div className="totals-line">
          <span>{t("ord.tax")}</span>
          <span className="amount" data-testid={`${testId}-tax`}>{formatMoney(price.taxAmount)}</span>
        </div>
        <div className="totals-line totals-total">
          <span>{t("ord.total")}</span>
          <strong className="amount" data-testid={`${testId}-total`}>{formatMoney(price.totalAmount)}</strong>
        </div>
        <div className="totals-line">
          <span>{t("ord.totalInWords")}</span>
          <span data-testid={`${testId}-words`}>{price.totalInWords || "—"}</span>
        </div>
        <div className="totals-line">
          <span>{t("ord.deposit")}</span>
          <span className="amount" data-testid={`${testId}-deposit`}>{formatMoney(price.depositAmount)}</span>
        </div>
        <div className="totals-line">
          <span>{t("neg.f.payment")}</span>
          <span data-testid={`${testId}-payment`}>{paymentText(price.payment)}</span>
        </div>
        {price.freightBearer ? (
          <div className="totals-line">
            <span>{t("ord.f.freightBearer")}</span>
            <Tag data-testid={`${testId}-bearer`}>{t(FREIGHT_BEARER_KEYS[price.freightBearer])}</Tag>
          </div>
        ) : null}
      </div>
    </div>
  );
}
