import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { identityClient } from "./api/client";
import { onSessionExpired, tokenStore } from "./api/session";
import type { TokenPair, User } from "./gen/b2btrade/identity/v1/identity_service_pb";

type Status = "loading" | "anonymous" | "authenticated";

interface AuthValue {
  status: Status;
  user: User | null;
  /** Stores a new session (after register / login / OAuth). */
  signIn: (user: User | undefined, tokens: TokenPair | undefined) => void;
  /** Logs out on the server (best effort) and forgets the session. */
  signOut: () => Promise<void>;
  /** Forgets the session locally (after logout-everywhere, expiry). */
  forget: () => void;
  reloadUser: () => Promise<void>;
  setUser: (u: User) => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>(tokenStore.refreshToken ? "loading" : "anonymous");
  const [user, setUserState] = useState<User | null>(null);

  const forget = useCallback(() => {
    tokenStore.clear();
    setUserState(null);
    setStatus("anonymous");
  }, []);

  const reloadUser = useCallback(async () => {
    const res = await identityClient.getCurrentUser({});
    if (res.user) {
      setUserState(res.user);
      setStatus("authenticated");
    }
  }, []);

  useEffect(() => {
    if (!tokenStore.refreshToken) return;
    let cancelled = false;
    identityClient
      .getCurrentUser({})
      .then((res) => {
        if (cancelled || !res.user) return;
        setUserState(res.user);
        setStatus("authenticated");
      })
      .catch(() => {
        if (!cancelled && !tokenStore.accessToken) forget();
        else if (!cancelled) setStatus("anonymous");
      });
    return () => {
      cancelled = true;
    };
  }, [forget]);

  useEffect(() => onSessionExpired(forget), [forget]);

  const signIn = useCallback((u: User | undefined, tokens: TokenPair | undefined) => {
    tokenStore.setPair(tokens);
    if (u) setUserState(u);
    setStatus("authenticated");
  }, []);

  const signOut = useCallback(async () => {
    try {
      if (tokenStore.accessToken || tokenStore.refreshToken) await identityClient.logout({});
    } catch {
      /* the session is forgotten locally anyway */
    }
    forget();
  }, [forget]);

  const value = useMemo<AuthValue>(
    () => ({ status, user, signIn, signOut, forget, reloadUser, setUser: setUserState }),
    [status, user, signIn, signOut, forget, reloadUser],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error("AuthProvider missing");
  return v;
}
