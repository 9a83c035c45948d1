import { Code, ConnectError } from "@connectrpc/connect";
import { tokenStore } from "../api/session";
import { backoffDelay } from "./catalogQuery";

export type WatchState = "idle" | "connecting" | "live" | "reconnecting" | "off";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = window.setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      window.clearTimeout(timer);
      resolve();
    });
  });
}

/** Codes after which reopening a stream cannot help (not served, not allowed, no such thing). */
const FINAL = new Set<Code>([Code.Unimplemented, Code.InvalidArgument, Code.PermissionDenied, Code.NotFound]);

/**
 * Keeps a server stream open until `signal` aborts: `open` is called again (with backoff) whenever the stream ends —
 * watch streams end when the access token expires, and the transport has refreshed the session by then — or fails.
 * `open` is called anew for every attempt, so it can ask for what was missed (e.g. after_sequence).
 * Stops for good on errors that a retry cannot fix (reported through onFatal) and when the session is gone.
 */
export async function keepStreaming<T>(
  signal: AbortSignal,
  open: (signal: AbortSignal) => AsyncIterable<T>,
  onMessage: (m: T) => void,
  onState: (s: WatchState) => void,
  onFatal?: (e: ConnectError) => void,
): Promise<void> {
  let attempt = 0;
  onState("connecting");
  while (!signal.aborted) {
    try {
      for await (const m of open(signal)) {
        if (signal.aborted) return;
        attempt = 0;
        onState("live");
        onMessage(m);
      }
    } catch (e) {
      if (signal.aborted) return;
      const err = ConnectError.from(e);
      if (FINAL.has(err.code) || (err.code === Code.Unauthenticated && !tokenStore.refreshToken)) {
        onState("off");
        onFatal?.(err);
        return;
      }
    }
    if (signal.aborted) return;
    onState("reconnecting");
    await sleep(attempt === 0 ? 300 : backoffDelay(attempt - 1), signal);
    attempt++;
  }
}
