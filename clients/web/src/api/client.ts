import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { IdentityService } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { EnterpriseService } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { FileService } from "../gen/b2btrade/files/v1/file_service_pb";
import { OperatorService } from "../gen/b2btrade/operations/v1/operator_service_pb";
import { CatalogService } from "../gen/b2btrade/catalog/v1/catalog_service_pb";
import { NegotiationService } from "../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { InboxService } from "../gen/b2btrade/inbox/v1/inbox_service_pb";
import { CartService, OrderService } from "../gen/b2btrade/order/v1/order_service_pb";
import { ContractService } from "../gen/b2btrade/contract/v1/contract_service_pb";
import { getLang } from "../i18n";
import { notifySessionExpired, tokenStore } from "./session";

const baseUrl = window.location.origin;

/** Every call carries the UI language so server messages (errors, field violations) come localized. */
const languageInterceptor: Interceptor = (next) => async (req) => {
  req.header.set("accept-language", getLang());
  return next(req);
};

// Methods that work without a session: no bearer, no refresh-and-retry.
const PUBLIC_METHODS = new Set([
  "SendVerificationCode",
  "Register",
  "LoginWithPassword",
  "LoginWithCode",
  "RefreshToken",
  "ResetPassword",
  "StartOAuthLogin",
  "CompleteOAuthLogin",
]);

// Transport used only for RefreshToken (no auth interceptor → no recursion).
const plainTransport = createGrpcWebTransport({ baseUrl, interceptors: [languageInterceptor] });
const refreshClient = createClient(IdentityService, plainTransport);

let refreshing: Promise<boolean> | null = null;

/** Single-flight refresh: concurrent callers share one RefreshToken call. */
export function refreshSession(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      const used = tokenStore.refreshToken;
      if (!used) return false;
      try {
        const res = await refreshClient.refreshToken({ refreshToken: used });
        tokenStore.setPair(res.tokens);
        return true;
      } catch (e) {
        // Another tab may have rotated the refresh token meanwhile: try the newer one once.
        const current = tokenStore.refreshToken;
        if (current && current !== used && ConnectError.from(e).code === Code.Unauthenticated) {
          try {
            const res = await refreshClient.refreshToken({ refreshToken: current });
            tokenStore.setPair(res.tokens);
            return true;
          } catch {
            /* fall through */
          }
        }
        const code = ConnectError.from(e).code;
        if (code === Code.Unauthenticated || code === Code.PermissionDenied || code === Code.InvalidArgument) {
          tokenStore.clear();
        }
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/**
 * A server stream that ends with UNAUTHENTICATED (WatchListings ends so when the access token expires) cannot be
 * replayed here: refresh the session once so the caller's reconnect carries a fresh token, and log out only when
 * the refresh fails. The error is passed on either way (the caller decides to reconnect).
 */
async function onStreamUnauthenticated(e: unknown): Promise<never> {
  if (!(tokenStore.refreshToken && (await refreshSession()))) {
    tokenStore.clear();
    notifySessionExpired();
  }
  throw e;
}

async function* guardStream<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (e) {
    if (ConnectError.from(e).code === Code.Unauthenticated) await onStreamUnauthenticated(e);
    throw e;
  }
}

const authInterceptor: Interceptor = (next) => async (req) => {
  if (PUBLIC_METHODS.has(req.method.name)) return next(req);
  if (tokenStore.accessTokenStale && tokenStore.refreshToken) await refreshSession();
  if (tokenStore.accessToken) req.header.set("authorization", `Bearer ${tokenStore.accessToken}`);
  try {
    const res = await next(req);
    // Errors of a server stream after its headers surface while its messages are read.
    return res.stream ? { ...res, message: guardStream(res.message) } : res;
  } catch (e) {
    const err = ConnectError.from(e);
    if (err.code !== Code.Unauthenticated) throw e;
    // A stream is not replayed here (the caller reconnects); a unary request is retried once after a refresh.
    if (req.stream) return onStreamUnauthenticated(e);
    if (tokenStore.refreshToken && (await refreshSession())) {
      req.header.set("authorization", `Bearer ${tokenStore.accessToken}`);
      try {
        return await next(req);
      } catch (e2) {
        if (ConnectError.from(e2).code === Code.Unauthenticated) {
          tokenStore.clear();
          notifySessionExpired();
        }
        throw e2;
      }
    }
    tokenStore.clear();
    notifySessionExpired();
    throw e;
  }
};

export const transport: Transport = createGrpcWebTransport({
  baseUrl,
  interceptors: [languageInterceptor, authInterceptor],
});

export const identityClient = createClient(IdentityService, transport);
export const enterpriseClient = createClient(EnterpriseService, transport);
export const fileClient = createClient(FileService, transport);
export const operatorClient = createClient(OperatorService, transport);
export const catalogClient = createClient(CatalogService, transport);
export const negotiationClient = createClient(NegotiationService, transport);
export const inboxClient = createClient(InboxService, transport);
export const orderClient = createClient(OrderService, transport);
export const cartClient = createClient(CartService, transport);
export const contractClient = createClient(ContractService, transport);
