import { Tag } from "antd";
import { FreightBearer, OrderStatus, PriceItemKind } from "../../gen/b2btrade/order/v1/order_service_pb";
import { ContractStatus } from "../../gen/b2btrade/contract/v1/contract_service_pb";
import { useI18n, type MsgKey } from "../../i18n";

export const ORDER_STATUS_INFO: Record<OrderStatus, { key: MsgKey; color: string }> = {
  [OrderStatus.UNSPECIFIED]: { key: "common.none", color: "default" },
  [OrderStatus.PENDING_APPROVAL]: { key: "ord.status.pendingApproval", color: "gold" },
  [OrderStatus.PENDING_CONFIRMATION]: { key: "ord.status.pendingConfirmation", color: "processing" },
  [OrderStatus.CONFIRMED]: { key: "ord.status.confirmed", color: "blue" },
  [OrderStatus.CONTRACT_EFFECTIVE]: { key: "ord.status.contractEffective", color: "success" },
  [OrderStatus.REJECTED]: { key: "ord.status.rejected", color: "error" },
  [OrderStatus.CANCELLED]: { key: "ord.status.cancelled", color: "default" },
  [OrderStatus.EXPIRED]: { key: "ord.status.expired", color: "warning" },
};

/** "PENDING_CONFIRMATION" → "pending-confirmation" (status tabs in the query string). */
export function orderStatusParam(s: OrderStatus): string {
  return OrderStatus[s].toLowerCase().replace(/_/g, "-");
}

export function OrderStatusTag({ status, testId = "order-status" }: { status: OrderStatus; testId?: string }) {
  const { t } = useI18n();
  const s = ORDER_STATUS_INFO[status] ?? ORDER_STATUS_INFO[OrderStatus.UNSPECIFIED];
  return (
    <Tag color={s.color} data-testid={testId} data-status={OrderStatus[status]}>
      {t(s.key)}
    </Tag>
  );
}

export const FREIGHT_BEARER_KEYS: Record<FreightBearer, MsgKey> = {
  [FreightBearer.UNSPECIFIED]: "common.none",
  [FreightBearer.BUYER]: "ord.bearer.buyer",
  [FreightBearer.SELLER]: "ord.bearer.seller",
  [FreightBearer.BUYER_COLLECTS]: "ord.bearer.collects",
};

export const PRICE_ITEM_KEYS: Record<PriceItemKind, MsgKey> = {
  [PriceItemKind.UNSPECIFIED]: "common.none",
  [PriceItemKind.GOODS]: "ord.item.goods",
  [PriceItemKind.FREIGHT]: "ord.item.freight",
  [PriceItemKind.LOADING]: "ord.item.loading",
  [PriceItemKind.SERVICE]: "ord.item.service",
  [PriceItemKind.DISCOUNT]: "ord.item.discount",
};

export const CONTRACT_STATUS_INFO: Record<ContractStatus, { key: MsgKey; color: string }> = {
  [ContractStatus.UNSPECIFIED]: { key: "common.none", color: "default" },
  [ContractStatus.PENDING_SIGNATURES]: { key: "ctr.status.pending", color: "processing" },
  [ContractStatus.PARTIALLY_SIGNED]: { key: "ctr.status.partial", color: "gold" },
  [ContractStatus.EFFECTIVE]: { key: "ctr.status.effective", color: "success" },
};

export function ContractStatusTag({ status, testId = "contract-status" }: { status: ContractStatus; testId?: string }) {
  const { t } = useI18n();
  const s = CONTRACT_STATUS_INFO[status] ?? CONTRACT_STATUS_INFO[ContractStatus.UNSPECIFIED];
  return (
    <Tag color={s.color} data-testid={testId} data-status={ContractStatus[status]}>
      {t(s.key)}
    </Tag>
  );
}
