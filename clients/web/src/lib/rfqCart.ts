import { useSyncExternalStore } from "react";
import { addToCart, type RfqCartItem } from "./negotiation";

// 询价单: the listings a buyer collected for one RFQ, kept in localStorage (per browser) until it is sent.
const KEY = "b2btrade.rfqCart";
const listeners = new Set<() => void>();
let cache: { raw: string | null; items: RfqCartItem[] } = { raw: null, items: [] };

function read(): RfqCartItem[] {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    /* storage unavailable */
  }
  if (raw === cache.raw) return cache.items;
  let items: RfqCartItem[] = [];
  try {
    const parsed = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) items = parsed.filter((x) => x && typeof x.listingId === "string");
  } catch {
    items = [];
  }
  cache = { raw, items };
  return items;
}

function write(items: RfqCartItem[]): void {
  try {
    if (items.length) localStorage.setItem(KEY, JSON.stringify(items));
    else localStorage.removeItem(KEY);
  } catch {
    /* ignore */
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  const onStorage = (e: StorageEvent) => e.key === KEY && l();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(l);
    window.removeEventListener("storage", onStorage);
  };
}

export const rfqCart = {
  items: read,
  add: (item: RfqCartItem) => write(addToCart(read(), item)),
  remove: (listingId: string) => write(read().filter((i) => i.listingId !== listingId)),
  clear: () => write([]),
  has: (listingId: string) => read().some((i) => i.listingId === listingId),
};

export function useRfqCart(): RfqCartItem[] {
  return useSyncExternalStore(subscribe, read, read);
}
