import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { inboxClient } from "../api/client";
import type { Notification } from "../gen/b2btrade/inbox/v1/inbox_service_pb";
import { keepStreaming, type WatchState } from "./live";

type Listener = (n: Notification) => void;

interface InboxValue {
  /** Unread notifications of the caller (null until the first event). */
  unread: number | null;
  state: WatchState;
  /** Called with every new or updated notification; returns the unsubscribe function. */
  subscribe: (l: Listener) => () => void;
  /** After MarkNotificationsRead: its unread_count. */
  setUnread: (n: number) => void;
  /** Marks the notifications about a subject (a thread) read; best effort. */
  markSubjectRead: (subjectId: string) => void;
}

const InboxContext = createContext<InboxValue>({
  unread: null,
  state: "idle",
  subscribe: () => () => {},
  setUnread: () => {},
  markSubjectRead: () => {},
});

/**
 * The message center's live feed for the signed-in user: one WatchInbox stream for the whole app (header badge, the
 * inbox page, lists that refresh when something arrives), reopened whenever it ends.
 */
export function InboxProvider({ children }: { children: ReactNode }) {
  const [unread, setUnreadState] = useState<number | null>(null);
  const [state, setState] = useState<WatchState>("idle");
  const listeners = useRef(new Set<Listener>());

  useEffect(() => {
    const controller = new AbortController();
    void keepStreaming(
      controller.signal,
      (signal) => inboxClient.watchInbox({}, { signal }),
      (res) => {
        setUnreadState(Number(res.unreadCount));
        if (res.notification) for (const l of [...listeners.current]) l(res.notification);
      },
      setState,
    );
    return () => controller.abort();
  }, []);

  const subscribe = useCallback((l: Listener) => {
    listeners.current.add(l);
    return () => {
      listeners.current.delete(l);
    };
  }, []);
  const setUnread = useCallback((n: number) => setUnreadState(n), []);
  const markSubjectRead = useCallback((subjectId: string) => {
    inboxClient
      .markNotificationsRead({ subjectId })
      .then((r) => setUnreadState(Number(r.unreadCount)))
      .catch(() => {});
  }, []);

  const value = useMemo(() => ({ unread, state, subscribe, setUnread, markSubjectRead }), [unread, state, subscribe, setUnread, markSubjectRead]);
  return <InboxContext.Provider value={value}>{children}</InboxContext.Provider>;
}

export function useInbox(): InboxValue {
  return useContext(InboxContext);
}

/** Calls onNotification for each notification that arrives while the component is mounted. */
export function useInboxNotifications(onNotification: Listener): void {
  const { subscribe } = useInbox();
  const callback = useRef(onNotification);
  useEffect(() => {
    callback.current = onNotification;
  });
  useEffect(() => subscribe((n) => callback.current(n)), [subscribe]);
}
