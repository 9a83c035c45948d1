import { useEffect, useRef, useState } from "react";
import { catalogClient, enterpriseClient } from "../api/client";
import { parseError, type ApiError } from "../api/errors";
import { ListingSort, type Category, type Listing } from "../gen/b2btrade/catalog/v1/catalog_service_pb";
import { MemberRole, VerificationStatus, type Enterprise } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { type SortKey } from "./catalogQuery";
import { keepStreaming, type WatchState } from "./live";
import { buildTree, type CategoryTree } from "./categories";
import { useI18n } from "../i18n";

export const SORT_ENUM: Record<SortKey, ListingSort> = {
  updated: ListingSort.UPDATED_DESCENDING,
  price_asc: ListingSort.PRICE_ASCENDING,
  price_desc: ListingSort.PRICE_DESCENDING,
  stock: ListingSort.STOCK_DESCENDING,
};

export type Tree = CategoryTree<Category>;

// The category tree changes rarely (operators only): one ListCategories per 5 minutes for the whole app.
let treeCache: { at: number; promise: Promise<Tree> } | null = null;

/** Forgets the cached tree (after an operator changed it), so the next reader loads it again. */
export function invalidateCategories(): void {
  treeCache = null;
}

export function loadCategories(): Promise<Tree> {
  if (!treeCache || Date.now() - treeCache.at > 5 * 60_000) {
    const promise = catalogClient.listCategories({}).then((r) => ({ ...buildTree(r.categories), etag: r.etag }));
    treeCache = { at: Date.now(), promise };
    promise.catch(() => {
      if (treeCache?.promise === promise) treeCache = null;
    });
  }
  return treeCache.promise;
}

export function useCategories(): { tree: Tree | null; error: ApiError | null } {
  const [tree, setTree] = useState<Tree | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    loadCategories()
      .then((t) => live && setTree(t))
      .catch((e) => live && setError(parseError(e)));
    return () => {
      live = false;
    };
  }, []);
  return { tree, error };
}

/**
 * The caller's enterprises (first 100) with their full profiles, for the seller pages: ListMyEnterprises carries a
 * summary without the business types (is_seller), so each one is read with GetEnterprise (members may).
 */
async function loadMyEnterprises(): Promise<Enterprise[]> {
  const list = await enterpriseClient.listMyEnterprises({ pageSize: 100 });
  return Promise.all(
    list.enterprises.slice(0, 20).map((e) =>
      enterpriseClient
        .getEnterprise({ enterpriseId: e.enterpriseId })
        .then((r) => (r.enterprise ? { ...r.enterprise, myRoles: r.enterprise.myRoles.length ? r.enterprise.myRoles : e.myRoles } : e))
        .catch(() => e),
    ),
  );
}

export function useMyEnterprises(): { enterprises: Enterprise[] | null; error: ApiError | null } {
  const [enterprises, setEnterprises] = useState<Enterprise[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    loadMyEnterprises()
      .then((list) => live && setEnterprises(list))
      .catch((e) => {
        if (!live) return;
        setError(parseError(e));
        setEnterprises([]);
      });
    return () => {
      live = false;
    };
  }, []);
  return { enterprises, error };
}

export type SellerAccess = "ok" | "notSeller" | "notVerified" | "noRole";

/** Whether the caller may create listings for the enterprise (verified seller, Sales or Admin member). */
export function sellerAccess(e: Enterprise | undefined): SellerAccess {
  if (!e?.profile?.isSeller) return "notSeller";
  if (e.verificationStatus !== VerificationStatus.VERIFIED) return "notVerified";
  if (!e.myRoles.includes(MemberRole.SALES) && !e.myRoles.includes(MemberRole.ADMIN)) return "noRole";
  return "ok";
}

export type { WatchState };

/**
 * Live updates of the listings on screen (WatchListings, server streaming over gRPC-Web). The stream first sends
 * each listing's current state, then every change. It is restarted when the ids change, aborted on unmount, and
 * reconnected with backoff when it ends or fails (it ends with UNAUTHENTICATED when the access token expires; the
 * transport has refreshed the session by then, so the reconnect carries a fresh token). A change of UI language restarts
 * it, since key specs and price lines come in the language the stream was opened with.
 */
export function useListingWatch(ids: string[], onListing: (l: Listing) => void): WatchState {
  const { lang } = useI18n();
  const key = ids.join(",");
  const callback = useRef(onListing);
  const [state, setState] = useState<WatchState>("idle");
  useEffect(() => {
    callback.current = onListing;
  });
  useEffect(() => {
    if (!key) {
      setState("idle");
      return;
    }
    const controller = new AbortController();
    void keepStreaming(
      controller.signal,
      (signal) => catalogClient.watchListings({ listingIds: key.split(",") }, { signal }),
      (res) => {
        if (res.listing) callback.current(res.listing);
      },
      setState,
    );
    return () => controller.abort();
  }, [key, lang]);
  return state;
}
