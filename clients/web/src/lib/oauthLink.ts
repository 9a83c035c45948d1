import { OAuthProvider } from "../gen/b2btrade/identity/v1/identity_service_pb";

// A link ticket from CompleteOAuthLogin waits here (per tab) until the user registers or logs in.
const KEY = "b2btrade.oauthLink";
const STATE_KEY = "b2btrade.oauthState";

export interface PendingLink {
  ticket: string;
  provider: OAuthProvider;
  nickname: string;
  savedAt: number;
}

export function savePendingLink(p: Omit<PendingLink, "savedAt">): void {
  sessionStorage.setItem(KEY, JSON.stringify({ ...p, savedAt: Date.now() }));
}

/** The pending ticket, if younger than its 10-minute lifetime. */
export function loadPendingLink(): PendingLink | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as PendingLink;
    if (!p.ticket || Date.now() - p.savedAt > 10 * 60_000) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return p;
  } catch {
    return null;
  }
}

export function clearPendingLink(): void {
  sessionStorage.removeItem(KEY);
}

export function providerSlug(p: OAuthProvider): "wechat" | "qq" {
  return p === OAuthProvider.QQ ? "qq" : "wechat";
}

export function providerFromSlug(s: string | undefined): OAuthProvider {
  return s === "qq" ? OAuthProvider.QQ : s === "wechat" ? OAuthProvider.WECHAT : OAuthProvider.UNSPECIFIED;
}

export function saveOAuthState(provider: OAuthProvider, state: string): void {
  sessionStorage.setItem(STATE_KEY, JSON.stringify({ provider, state }));
}

export function takeOAuthState(): { provider: OAuthProvider; state: string } | null {
  const raw = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(STATE_KEY);
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}
