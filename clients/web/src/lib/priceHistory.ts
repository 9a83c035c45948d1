// The listing detail's 价格与库存记录: change kinds and a tiny price sparkline. Pure so it is unit tested.

/** b2btrade.catalog.v1.ListingChangeKind values. */
export const CHANGE_KIND = { CREATED: 1, PRICE_CHANGED: 2, STOCK_SET: 3, STOCK_RESERVED: 4, STOCK_RELEASED: 5, STOCK_SHIPPED: 6 } as const;

export interface ChangeLike {
  changeTime?: { seconds: bigint; nanos: number };
  kind: number;
  listPrice?: { amount: string };
}

/** Newest first (the server sends oldest first); changes without a time keep their relative order. */
export function newestFirst<T extends ChangeLike>(changes: T[]): T[] {
  const at = (c: T) => (c.changeTime ? Number(c.changeTime.seconds) * 1000 + Math.floor(c.changeTime.nanos / 1e6) : 0);
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => at(b.c) - at(a.c) || b.i - a.i)
    .map((x) => x.c);
}

/**
 * SVG polyline points ("x,y x,y …") of the list price over the changes in the order given (oldest first), scaled into
 * width × height with `pad` pixels inside; a flat line in the middle when every price is the same. Null with fewer
 * than two prices. Floating point is fine here: it only places pixels.
 */
export function sparklinePoints(amounts: string[], width: number, height: number, pad = 3): string | null {
  const values = amounts.map((a) => Number(a)).filter((v) => Number.isFinite(v));
  if (values.length < 2) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const innerW = width - 2 * pad;
  const innerH = height - 2 * pad;
  return values
    .map((v, i) => {
      const x = pad + (innerW * i) / (values.length - 1);
      const y = max === min ? height / 2 : pad + innerH * (1 - (v - min) / (max - min));
      return `${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`;
    })
    .join(" ");
}
