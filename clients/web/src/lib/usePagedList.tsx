import { useCallback, useState } from "react";
import { App, Button } from "antd";
import { parseError } from "../api/errors";
import { useI18n } from "../i18n";

/** One page of a List call (AIP-158): its items and the token of the next page ("" on the last). */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/**
 * A list read page by page: load() replaces the items with the first page, load(token) appends the page at token.
 * fetchPage must be stable (useCallback); extra arguments of load are passed through to it (e.g. a filter).
 * Errors are shown as a message.
 */
export function usePagedList<T, A extends unknown[] = []>(fetchPage: (pageToken: string, ...args: A) => Promise<Page<T>>) {
  const { message } = App.useApp();
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState("");
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (pageToken = "", ...args: A) => {
      setLoading(true);
      try {
        const res = await fetchPage(pageToken, ...args);
        setItems((prev) => (pageToken ? [...prev, ...res.items] : res.items));
        setNext(res.nextPageToken);
      } catch (e) {
        message.error(parseError(e).message);
      } finally {
        setLoading(false);
      }
    },
    [fetchPage, message],
  );

  return { items, next, loading, load };
}

/** "加载更多" under a list, shown while there is a next page. */
export function LoadMore({ next, onLoad }: { next: string; onLoad: (pageToken: string) => void }) {
  const { t } = useI18n();
  if (!next) return null;
  return (
    <div style={{ textAlign: "center", marginTop: 16 }}>
      <Button onClick={() => onLoad(next)}>{t("common.loadMore")}</Button>
    </div>
  );
}
