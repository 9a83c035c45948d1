import type { TokenPair } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { timestampMs } from "@bufbuild/protobuf/wkt";

// The access token lives only in memory; the refresh token is kept in localStorage so a reload
// (or a new tab) can resume the session through IdentityService.RefreshToken.
const REFRESH_KEY = "b2btrade.refreshToken";

let accessToken: string | null = null;
let accessExpiresAt = 0;
const expiredListeners = new Set<() => void>();

export const tokenStore = {
  get accessToken(): string | null {
    return accessToken;
  },
  /** True when the in-memory access token is missing or expires within 20 s. */
  get accessTokenStale(): boolean {
    return !accessToken || (accessExpiresAt > 0 && Date.now() > accessExpiresAt - 20_000);
  },
  get refreshToken(): string | null {
    try {
      return localStorage.getItem(REFRESH_KEY);
    } catch {
      return null;
    }
  },
  setPair(pair: TokenPair | undefined): void {
    if (!pair) return;
    accessToken = pair.accessToken || null;
    accessExpiresAt = pair.accessTokenExpireTime ? timestampMs(pair.accessTokenExpireTime) : 0;
    if (pair.refreshToken) localStorage.setItem(REFRESH_KEY, pair.refreshToken);
  },
  clear(): void {
    accessToken = null;
    accessExpiresAt = 0;
    localStorage.removeItem(REFRESH_KEY);
  },
};

/** Called when the session can no longer be refreshed (the app then shows the login page). */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export function notifySessionExpired(): void {
  for (const l of expiredListeners) l();
}
