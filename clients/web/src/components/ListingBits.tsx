import { useEffect, useRef, useState, type ReactNode } from "react";
import { Input, Tag } from "antd";
import { DeliveryPriceBasis, ListingStatus, WeightBasis, type Listing } from "../gen/b2btrade/catalog/v1/catalog_service_pb";
import { formatMoney } from "../lib/money";
import { sameDecimal } from "../lib/decimal";
import { useI18n, type MsgKey } from "../i18n";

export const WEIGHT_BASIS_KEYS: Record<WeightBasis, MsgKey> = {
  [WeightBasis.UNSPECIFIED]: "common.none",
  [WeightBasis.THEORETICAL]: "listing.weight.theoretical",
  [WeightBasis.WEIGHED]: "listing.weight.weighed",
};

export const DELIVERY_KEYS: Record<DeliveryPriceBasis, MsgKey> = {
  [DeliveryPriceBasis.UNSPECIFIED]: "common.none",
  [DeliveryPriceBasis.EX_WORKS]: "listing.delivery.exWorks",
  [DeliveryPriceBasis.DELIVERED]: "listing.delivery.delivered",
};

/** "¥3,620.00 – ¥3,650.00" (one figure when both are the same). */
export function priceRangeText(l: Pick<Listing, "displayPrice" | "displayPriceMax">): string {
  const low = l.displayPrice;
  const high = l.displayPriceMax;
  if (!low?.amount) return "—";
  if (!high?.amount || sameDecimal(low.amount, high.amount)) return formatMoney(low);
  return `${formatMoney(low)} – ${formatMoney(high)}`;
}

export function ListingStatusTag({ status }: { status: ListingStatus }) {
  const { t } = useI18n();
  if (status === ListingStatus.DELISTED)
    return (
      <Tag color="default" data-testid="listing-status" data-status="DELISTED">
        {t("listing.status.delisted")}
      </Tag>
    );
  return (
    <Tag color="success" data-testid="listing-status" data-status="ACTIVE">
      {t("listing.status.active")}
    </Tag>
  );
}

/** Wraps a value that changed live: the highlight animation restarts at every new `at`. */
export function Flash({ at, children, testId }: { at: number | undefined; children: ReactNode; testId?: string }) {
  return (
    <span key={at ?? 0} className={at ? "flash" : undefined} data-testid={testId} data-flash={at ? "1" : undefined}>
      {children}
    </span>
  );
}

/**
 * A text input that reports its value once typing pauses (300 ms). It follows the value it is given when that
 * changes from outside (e.g. back navigation restoring the URL) unless the user is mid-edit.
 */
export function DebouncedInput({
  value,
  onCommit,
  delay = 300,
  invalid,
  ...rest
}: {
  value: string;
  onCommit: (v: string) => void;
  delay?: number;
  invalid?: (v: string) => boolean;
} & Omit<React.ComponentProps<typeof Input>, "value" | "onChange">) {
  const [text, setText] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  const commit = useRef(onCommit);
  useEffect(() => {
    commit.current = onCommit;
  });
  useEffect(() => {
    if (timer.current === undefined) setText(value);
  }, [value]);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const bad = invalid ? invalid(text) : false;
  return (
    <Input
      {...rest}
      value={text}
      status={bad ? "error" : undefined}
      onChange={(e) => {
        const v = e.target.value;
        setText(v);
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => {
          timer.current = undefined;
          if (!invalid || !invalid(v)) commit.current(v);
        }, delay);
      }}
    />
  );
}
