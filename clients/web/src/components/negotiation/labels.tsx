import { useMemo } from "react";
import { Tag } from "antd";
import {
  BalanceTiming,
  ChargeUnit,
  DeliveryBasis,
  OfferKind,
  ServiceKind,
  Side,
  ThreadStatus,
  TransportMode,
  type PaymentTerms,
} from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { formatDateMessage } from "../../lib/negotiation";
import { attributeLabel, formatAttributeValue } from "../../lib/categories";
import { useCategories } from "../../lib/catalogData";
import { useI18n, type MsgKey, t as translate } from "../../i18n";

export const STATUS_INFO: Record<ThreadStatus, { key: MsgKey; color: string }> = {
  [ThreadStatus.UNSPECIFIED]: { key: "common.none", color: "default" },
  [ThreadStatus.AWAITING_QUOTE]: { key: "neg.status.awaitingQuote", color: "processing" },
  [ThreadStatus.QUOTED]: { key: "neg.status.quoted", color: "blue" },
  [ThreadStatus.COUNTERED]: { key: "neg.status.countered", color: "orange" },
  [ThreadStatus.ACCEPTED]: { key: "neg.status.accepted", color: "success" },
  [ThreadStatus.DECLINED]: { key: "neg.status.declined", color: "default" },
  [ThreadStatus.WITHDRAWN]: { key: "neg.status.withdrawn", color: "warning" },
  [ThreadStatus.EXPIRED]: { key: "neg.status.expired", color: "warning" },
  [ThreadStatus.CLOSED]: { key: "neg.status.closed", color: "default" },
};

/** Statuses offered as list filters, in the order of the status machine. */
export const STATUS_FILTERS: ThreadStatus[] = [
  ThreadStatus.AWAITING_QUOTE,
  ThreadStatus.QUOTED,
  ThreadStatus.COUNTERED,
  ThreadStatus.ACCEPTED,
  ThreadStatus.DECLINED,
  ThreadStatus.WITHDRAWN,
  ThreadStatus.EXPIRED,
  ThreadStatus.CLOSED,
];

export function ThreadStatusTag({ status, testId = "thread-status" }: { status: ThreadStatus; testId?: string }) {
  const { t } = useI18n();
  const s = STATUS_INFO[status] ?? STATUS_INFO[ThreadStatus.UNSPECIFIED];
  return (
    <Tag color={s.color} data-testid={testId} data-status={ThreadStatus[status]}>
      {t(s.key)}
    </Tag>
  );
}

export const KIND_KEYS: Record<OfferKind, MsgKey> = {
  [OfferKind.UNSPECIFIED]: "common.none",
  [OfferKind.INQUIRY]: "neg.kind.inquiry",
  [OfferKind.QUOTE]: "neg.kind.quote",
  [OfferKind.COUNTER_OFFER]: "neg.kind.counter",
};

export const KIND_COLORS: Record<OfferKind, string> = {
  [OfferKind.UNSPECIFIED]: "default",
  [OfferKind.INQUIRY]: "purple",
  [OfferKind.QUOTE]: "blue",
  [OfferKind.COUNTER_OFFER]: "orange",
};

export const SIDE_KEYS: Record<Side, MsgKey> = {
  [Side.UNSPECIFIED]: "common.none",
  [Side.BUYER]: "neg.side.buyer",
  [Side.SELLER]: "neg.side.seller",
};

export const TRANSPORT_KEYS: Record<TransportMode, MsgKey> = {
  [TransportMode.UNSPECIFIED]: "common.none",
  [TransportMode.ROAD]: "neg.transport.road",
  [TransportMode.RAIL]: "neg.transport.rail",
  [TransportMode.WATERWAY]: "neg.transport.waterway",
  [TransportMode.BUYER_PICKUP]: "neg.transport.pickup",
  [TransportMode.MULTIMODAL]: "neg.transport.multimodal",
};

export const SERVICE_KEYS: Record<ServiceKind, MsgKey> = {
  [ServiceKind.UNSPECIFIED]: "common.none",
  [ServiceKind.FREIGHT]: "neg.service.freight",
  [ServiceKind.LOADING]: "neg.service.loading",
  [ServiceKind.STORAGE]: "neg.service.storage",
};

export const CHARGE_KEYS: Record<ChargeUnit, MsgKey> = {
  [ChargeUnit.UNSPECIFIED]: "common.none",
  [ChargeUnit.PER_TONNE]: "neg.charge.perTonne",
  [ChargeUnit.LUMP_SUM]: "neg.charge.lumpSum",
};

export const BALANCE_KEYS: Record<BalanceTiming, MsgKey> = {
  [BalanceTiming.UNSPECIFIED]: "common.none",
  [BalanceTiming.BEFORE_DELIVERY]: "neg.balance.before",
  [BalanceTiming.ON_DELIVERY]: "neg.balance.on",
  [BalanceTiming.AFTER_DELIVERY]: "neg.balance.after",
};

export const DELIVERY_BASIS_KEYS: Record<DeliveryBasis, MsgKey> = {
  [DeliveryBasis.UNSPECIFIED]: "common.none",
  [DeliveryBasis.EX_WORKS]: "listing.delivery.exWorks",
  [DeliveryBasis.DELIVERED]: "listing.delivery.delivered",
};

/** "定金 10% · 账期 30 天" (current UI language). */
export function paymentText(p: PaymentTerms | undefined): string {
  if (!p) return "—";
  const parts: string[] = [];
  if (p.depositPercent?.value && !/^0+(\.0*)?$/.test(p.depositPercent.value)) parts.push(translate("neg.depositShort", { p: p.depositPercent.value }));
  if (p.balanceTiming === BalanceTiming.AFTER_DELIVERY) parts.push(translate("neg.balance.afterDays", { n: p.balanceDays }));
  else if (p.balanceTiming) parts.push(translate(BALANCE_KEYS[p.balanceTiming]));
  return parts.length ? parts.join(" · ") : "—";
}

/** "2026-11-20" or "—". */
export function dateText(d: Parameters<typeof formatDateMessage>[0]): string {
  return formatDateMessage(d) || "—";
}

/** Labels and display values of specification attributes under a category (the schema's labels and option names). */
export interface AttributeFormat {
  label: (key: string) => string;
  text: (key: string, value: string) => string;
}

export function useAttributeFormat(categoryId: string): AttributeFormat {
  const { tree } = useCategories();
  const { lang } = useI18n();
  return useMemo(() => {
    const find = (key: string) => tree?.byId.get(categoryId)?.attributes.find((a) => a.key === key);
    return {
      label: (key: string) => {
        const a = find(key);
        return a ? attributeLabel(a, lang) : key;
      },
      text: (key: string, value: string) => formatAttributeValue(find(key), value, lang),
    };
  }, [tree, categoryId, lang]);
}
