import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Empty, Input, Popconfirm, Space, Table, Tag, Tooltip } from "antd";
import { DeleteOutlined, ReloadOutlined, ShoppingCartOutlined } from "@ant-design/icons";
import { Link, useNavigate } from "react-router";
import { cartClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import type { CartItem } from "../../gen/b2btrade/order/v1/order_service_pb";
import { formatTonnes, normaliseDecimalInput, sameDecimal } from "../../lib/decimal";
import { formatTime } from "../../lib/labels";
import { formatMoney } from "../../lib/money";
import { cartSelectionProblem, linesParam } from "../../lib/orders";
import { useI18n, type MsgKey } from "../../i18n";

const PROBLEM_KEYS: Record<string, MsgKey> = {
  LISTING_UNAVAILABLE: "cart.problem.unavailable",
  BELOW_MIN_ORDER: "cart.problem.belowMin",
  INSUFFICIENT_STOCK: "cart.problem.stock",
};

/** Quantity cell: edit, then SetCartItem on blur / Enter (only when it changed). */
function QuantityCell({ item, onSet }: { item: CartItem; onSet: (listingId: string, quantity: string) => Promise<boolean> }) {
  const [text, setText] = useState(item.quantityTonnes?.value ?? "");
  useEffect(() => setText(item.quantityTonnes?.value ?? ""), [item.quantityTonnes?.value]);
  const commit = async () => {
    const q = normaliseDecimalInput(text, 3);
    if (!q || q === "0") {
      setText(item.quantityTonnes?.value ?? "");
      return;
    }
    if (sameDecimal(q, item.quantityTonnes?.value)) return;
    if (!(await onSet(item.listingId, q))) setText(item.quantityTonnes?.value ?? "");
  };
  return (
    <Input
      size="small"
      style={{ width: 130 }}
      value={text}
      suffix="吨"
      inputMode="decimal"
      onChange={(e) => setText(e.target.value)}
      onBlur={() => void commit()}
      onPressEnter={() => void commit()}
      data-testid="cart-quantity"
    />
  );
}

/** /cart — 购物车: the caller's listing lines priced now; quantities edited in place; lines of one seller → 去下单. */
export default function CartPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [items, setItems] = useState<CartItem[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string[]>([]);

  const load = useCallback(async () => {
    try {
      const res = await cartClient.getCart({});
      setItems(res.items);
      setError(null);
    } catch (e) {
      setError(parseError(e));
      setItems([]);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const setQuantity = async (listingId: string, quantity: string) => {
    try {
      const res = await cartClient.setCartItem({ listingId, quantityTonnes: { value: quantity } });
      setItems(res.items);
      return true;
    } catch (e) {
      message.error(parseError(e).message);
      return false;
    }
  };
  const remove = async (ids: string[]) => {
    try {
      const res = await cartClient.removeCartItems({ listingIds: ids });
      setItems(res.items);
      setSelected((s) => s.filter((x) => !ids.includes(x)));
    } catch (e) {
      message.error(parseError(e).message);
    }
  };

  const list = items ?? [];
  const problem = cartSelectionProblem(list, selected);
  const order = () => {
    const chosen = list.filter((i) => selected.includes(i.listingId));
    navigate(`/orders/new?lines=${encodeURIComponent(linesParam(chosen.map((i) => ({ listingId: i.listingId, quantity: i.quantityTonnes?.value ?? "" }))))}`);
  };

  return (
    <>
      <PageHeader
        title={t("nav.cart")}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              {t("common.refresh")}
            </Button>
            <Popconfirm title={t("cart.clearConfirm")} onConfirm={() => void remove([])} okText={t("common.confirm")} cancelText={t("common.cancel")}>
              <Button danger disabled={list.length === 0} data-testid="cart-clear">
                {t("cart.clear")}
              </Button>
            </Popconfirm>
          </Space>
        }
      />
      <Card>
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
        <Table<CartItem>
          rowKey="listingId"
          loading={items === null}
          dataSource={list}
          pagination={false}
          data-testid="cart-table"
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
          onRow={(r) => ({ "data-testid": "cart-row", "data-listing-id": r.listingId, "data-problem": r.problem }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty description={t("cart.empty")}><Link to="/catalog">{t("neg.findGoods")}</Link></Empty> }}
          columns={[
            { title: t("listing.product"), key: "name", render: (_, r) => <Link to={`/catalog/listings/${r.listingId}`}>{r.name}</Link> },
            { title: t("listing.seller"), key: "seller", dataIndex: "sellerName" },
            { title: t("neg.f.quantity"), key: "qty", render: (_, r) => <QuantityCell item={r} onSet={setQuantity} /> },
            { title: t("ord.unitPriceTax"), key: "price", align: "right", render: (_, r) => <span className="amount">{formatMoney(r.unitPrice)}</span> },
            { title: t("ord.amount"), key: "amount", align: "right", render: (_, r) => <span className="amount" data-testid="cart-amount">{formatMoney(r.amount)}</span> },
            {
              title: t("cart.limits"),
              key: "limits",
              render: (_, r) => (
                <span className="small muted">
                  {t("cart.moq", { n: formatTonnes(r.minOrderTonnes?.value) })} · {t("cart.stock", { n: formatTonnes(r.availableTonnes?.value) })}
                </span>
              ),
            },
            {
              title: t("common.status"),
              key: "problem",
              render: (_, r) =>
                r.problem ? (
                  <Tag color="error" data-testid="cart-problem">
                    {PROBLEM_KEYS[r.problem] ? t(PROBLEM_KEYS[r.problem]) : r.problem}
                  </Tag>
                ) : (
                  <Tag color="success">{t("cart.ok")}</Tag>
                ),
            },
            { title: t("common.updatedAt"), key: "updated", render: (_, r) => <span className="small">{formatTime(r.updatedAt)}</span> },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_, r) => (
                <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => void remove([r.listingId])} data-testid="cart-remove">
                  {t("common.delete")}
                </Button>
              ),
            },
          ]}
        />
        <div className="form-actions">
          {problem && problem !== "none" && <Alert type="warning" showIcon title={t(problem === "twoSellers" ? "cart.oneSeller" : "cart.fixProblems")} data-testid="cart-selection-problem" />}
          <Tooltip title={problem === "none" ? t("cart.selectHint") : undefined}>
            <Button type="primary" icon={<ShoppingCartOutlined />} disabled={problem !== null} onClick={order} data-testid="cart-order">
              {t("cart.order")}
            </Button>
          </Tooltip>
        </div>
      </Card>
    </>
  );
}
