import { useCallback, useEffect, useRef, useState } from "react";
import type { ConnectError } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { negotiationClient } from "../api/client";
import { parseError, type ApiError } from "../api/errors";
import { Side, type Message, type Thread } from "../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { keepStreaming, type WatchState } from "./live";
import { maxSequence, mergeMessages, minSequence } from "./negotiation";

const PAGE = 30;

/** b is at least as new as a (more versions, or the same versions and not an earlier update time). */
function notOlder(a: Thread | null, b: Thread): boolean {
  if (!a || a.threadId !== b.threadId) return true;
  if (b.offers.length !== a.offers.length) return b.offers.length > a.offers.length;
  const ta = a.updateTime ? timestampMs(a.updateTime) : 0;
  const tb = b.updateTime ? timestampMs(b.updateTime) : 0;
  return tb >= ta;
}

export interface ThreadLive {
  thread: Thread | null;
  messages: Message[];
  /** Older messages exist (ListMessages has_more). */
  hasMore: boolean;
  loadingOlder: boolean;
  /** The highest sequence the other side has read. */
  counterpartyRead: bigint;
  error: ApiError | null;
  state: WatchState;
  /** A thread from an action's response (kept unless the watch already delivered something newer). */
  applyThread: (t: Thread | undefined) => void;
  /** A message from SendMessage's response. */
  applyMessage: (m: Message | undefined) => void;
  loadOlder: () => Promise<void>;
}

/**
 * A negotiation thread kept live: the newest page of messages (ListMessages), then WatchThread with after_sequence =
 * the last message seen — its first event is the thread, then messages, offers, status changes and read receipts.
 * The stream is reopened whenever it ends or fails, asking again from the last sequence seen.
 */
export function useThreadLive(threadId: string): ThreadLive {
  const [thread, setThread] = useState<Thread | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [counterpartyRead, setCounterpartyRead] = useState(0n);
  const [error, setError] = useState<ApiError | null>(null);
  const [state, setState] = useState<WatchState>("idle");
  const lastSeq = useRef(0n);
  const threadRef = useRef<Thread | null>(null);
  const messagesRef = useRef<Message[]>([]);

  const applyThread = useCallback((t: Thread | undefined) => {
    if (!t || !notOlder(threadRef.current, t)) return;
    threadRef.current = t;
    setThread(t);
    setCounterpartyRead((r) => (t.counterpartyReadSequence > r ? t.counterpartyReadSequence : r));
  }, []);

  const addMessages = useCallback((incoming: Message[]) => {
    if (incoming.length === 0) return;
    const next = mergeMessages(messagesRef.current, incoming);
    messagesRef.current = next;
    const top = maxSequence(next);
    if (top > lastSeq.current) lastSeq.current = top;
    setMessages(next);
  }, []);

  const applyMessage = useCallback((m: Message | undefined) => m && addMessages([m]), [addMessages]);

  useEffect(() => {
    setThread(null);
    setMessages([]);
    setHasMore(false);
    setCounterpartyRead(0n);
    setError(null);
    threadRef.current = null;
    messagesRef.current = [];
    lastSeq.current = 0n;
    if (!threadId) return;
    const controller = new AbortController();
    const { signal } = controller;
    let historyLoaded = false;
    // Each attempt: the newest page of history first (until it loaded once), then the watch from the last sequence seen.
    async function* attempt(s: AbortSignal) {
      if (!historyLoaded) {
        const page = await negotiationClient.listMessages({ threadId, pageSize: PAGE }, { signal: s });
        addMessages(page.messages);
        setHasMore(page.hasMore);
        historyLoaded = true;
      }
      yield* negotiationClient.watchThread({ threadId, afterSequence: lastSeq.current }, { signal: s });
    }
    void keepStreaming(
      signal,
      attempt,
      (ev) => {
        switch (ev.event.case) {
          case "thread":
            setError(null);
            applyThread(ev.event.value);
            break;
          case "message":
            addMessages([ev.event.value]);
            break;
          case "readReceipt": {
            const r = ev.event.value;
            const mine = threadRef.current?.callerSide ?? Side.UNSPECIFIED;
            if (r.side !== mine) setCounterpartyRead((x) => (r.sequence > x ? r.sequence : x));
            break;
          }
        }
      },
      setState,
      // Without access every thread RPC answers NOT_FOUND: the page shows that instead of retrying.
      (e: ConnectError) => setError(parseError(e)),
    );
    return () => controller.abort();
  }, [threadId, addMessages, applyThread]);

  const loadOlder = useCallback(async () => {
    const before = minSequence(messagesRef.current);
    if (before <= 1n) {
      setHasMore(false);
      return;
    }
    setLoadingOlder(true);
    try {
      const page = await negotiationClient.listMessages({ threadId, beforeSequence: before, pageSize: PAGE });
      addMessages(page.messages);
      setHasMore(page.hasMore);
    } catch (e) {
      setError(parseError(e));
    } finally {
      setLoadingOlder(false);
    }
  }, [threadId, addMessages]);

  return { thread, messages, hasMore, loadingOlder, counterpartyRead, error, state, applyThread, applyMessage, loadOlder };
}
