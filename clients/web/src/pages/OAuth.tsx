import { useEffect, useState } from "react";
import { Button, Card, Col, Result, Row, Spin } from "antd";
import { LoginOutlined, UserAddOutlined } from "@ant-design/icons";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { identityClient } from "../api/client";
import { parseError } from "../api/errors";
import { useAuth } from "../auth";
import { AuthShell } from "../components/AuthShell";
import { loadPendingLink, providerFromSlug, savePendingLink, takeOAuthState } from "../lib/oauthLink";
import { providerKey } from "../lib/labels";
import { OAuthProvider, type CompleteOAuthLoginResponse } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { t as tr } from "../i18n";
import { useI18n } from "../i18n";

// A code may be redeemed only once: share the call between React's double-invoked effects.
const inflight = new Map<string, Promise<CompleteOAuthLoginResponse>>();

/** /oauth/callback/:provider?code=...&state=... */
export function OAuthCallbackPage() {
  const { t } = useI18n();
  const { provider: slug } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signIn } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const provider = providerFromSlug(slug);
  const providerName = t(providerKey(provider));

  useEffect(() => {
    const code = params.get("code");
    const state = params.get("state") ?? "";
    if (provider === OAuthProvider.UNSPECIFIED || !code) {
      setError(params.get("error_description") || params.get("error") || tr("oauth.missingCode"));
      return;
    }
    let p = inflight.get(code);
    if (!p) {
      const saved = takeOAuthState();
      if (saved && (saved.state !== state || saved.provider !== provider)) {
        setError(tr("oauth.stateMismatch"));
        return;
      }
      p = identityClient.completeOAuthLogin({ provider, code, state });
      inflight.set(code, p);
    }
    let active = true;
    p.then((res) => {
      if (!active) return;
      if (res.outcome.case === "session") {
        signIn(res.outcome.value.user, res.outcome.value.tokens);
        navigate("/", { replace: true });
      } else if (res.outcome.case === "linkTicket") {
        savePendingLink({ ticket: res.outcome.value, provider, nickname: res.providerNickname });
        navigate("/oauth/bind", { replace: true });
      } else {
        setError(tr("oauth.failed"));
      }
    }).catch((e) => active && setError(parseError(e).message));
    return () => {
      active = false;
    };
  }, [params, provider, navigate, signIn]);

  return (
    <AuthShell title={t("oauth.completing", { provider: providerName })}>
      {error ? (
        <Result
          status="error"
          title={t("oauth.failed")}
          subTitle={error}
          extra={
            <Link to="/login">
              <Button type="primary">{t("oauth.toLogin")}</Button>
            </Link>
          }
        />
      ) : (
        <div style={{ textAlign: "center", padding: 40 }}>
          <Spin size="large" />
        </div>
      )}
    </AuthShell>
  );
}

/** Offers "register a new account" or "log in to an existing account" for a pending link ticket. */
export function OAuthBindPage() {
  const { t } = useI18n();
  const pending = loadPendingLink();
  if (!pending) {
    return (
      <AuthShell title={t("oauth.failed")}>
        <Result
          status="warning"
          subTitle={t("oauth.ticketMissing")}
          extra={
            <Link to="/login">
              <Button type="primary">{t("oauth.toLogin")}</Button>
            </Link>
          }
        />
      </AuthShell>
    );
  }
  const provider = t(providerKey(pending.provider));
  return (
    <AuthShell title={t("oauth.bindTitle", { provider })} width={560}>
      <p>{t("oauth.bindIntro", { provider, nickname: pending.nickname || "—" })}</p>
      <Row gutter={16}>
        <Col span={12}>
          <Card className="choice-card">
            <UserAddOutlined className="choice-icon" />
            <h3>{t("oauth.bindRegister")}</h3>
            <p>{t("oauth.bindRegisterDesc", { provider })}</p>
            <Link to="/register?bind=1">
              <Button type="primary" block data-testid="bind-register">
                {t("oauth.bindRegister")}
              </Button>
            </Link>
          </Card>
        </Col>
        <Col span={12}>
          <Card className="choice-card">
            <LoginOutlined className="choice-icon" />
            <h3>{t("oauth.bindLogin")}</h3>
            <p>{t("oauth.bindLoginDesc")}</p>
            <Link to="/login?bind=1">
              <Button block data-testid="bind-login">
                {t("oauth.bindLogin")}
              </Button>
            </Link>
          </Card>
        </Col>
      </Row>
    </AuthShell>
  );
}
