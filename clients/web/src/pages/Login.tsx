import { useState } from "react";
import { App, Button, Divider, Form, Input, Tabs, Alert } from "antd";
import { LockOutlined, QqOutlined, UserOutlined, WechatOutlined } from "@ant-design/icons";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { identityClient } from "../api/client";
import { tokenStore } from "../api/session";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { useAuth } from "../auth";
import { AuthShell } from "../components/AuthShell";
import { FormError } from "../components/FormError";
import { CodeField } from "../components/CodeField";
import { contactAddress, EMAIL_RE, PHONE_RE } from "../lib/contact";
import { clearPendingLink, loadPendingLink, providerSlug, saveOAuthState } from "../lib/oauthLink";
import { OAuthProvider, VerificationPurpose, type TokenPair, type User } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { providerKey } from "../lib/labels";
import { useI18n } from "../i18n";

function addressOf(account: string) {
  const a = account.trim();
  return contactAddress(EMAIL_RE.test(a) ? "email" : "phone", a);
}

const ADDRESS_MAP = { address: ["account"], "address.phone": ["account"], "address.email": ["account"] };

export default function LoginPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [tab, setTab] = useState("password");
  const [pwForm] = Form.useForm();
  const [codeForm] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const pending = params.get("bind") === "1" ? loadPendingLink() : null;

  const from = (location.state as { from?: string } | null)?.from ?? "/";

  const accountRule = {
    validator: (_: unknown, v: string) =>
      !v || PHONE_RE.test(v.replace(/[\s-]/g, "")) || EMAIL_RE.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t("auth.accountInvalid"))),
  };

  const finish = async (user: User | undefined, tokens: TokenPair | undefined) => {
    // Store the tokens first (the link call needs them); publish the session last, together with the navigation.
    tokenStore.setPair(tokens);
    let u = user;
    if (pending) {
      try {
        const res = await identityClient.linkOAuthIdentity({ linkTicket: pending.ticket });
        u = res.user ?? u;
        message.success(t("auth.bindDone", { provider: t(providerKey(pending.provider)) }));
      } catch (e) {
        message.error(parseError(e).message);
      } finally {
        clearPendingLink();
      }
    } else {
      message.success(t("auth.loginSuccess"));
    }
    signIn(u, undefined);
    navigate(from, { replace: true });
  };

  const fail = (e: unknown, form: ReturnType<typeof Form.useForm>[0], known: string[]) => {
    const err = parseError(e);
    setError(err);
    setUnmapped(applyFieldErrors(form, err, { map: ADDRESS_MAP, known }));
  };

  const loginWithPassword = async (v: { account: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await identityClient.loginWithPassword({ address: addressOf(v.account), password: v.password });
      await finish(res.user, res.tokens);
    } catch (e) {
      fail(e, pwForm, ["account", "password"]);
    } finally {
      setBusy(false);
    }
  };

  const loginWithCode = async (v: { account: string; code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await identityClient.loginWithCode({ address: addressOf(v.account), code: v.code.trim() });
      await finish(res.user, res.tokens);
    } catch (e) {
      fail(e, codeForm, ["account", "code"]);
    } finally {
      setBusy(false);
    }
  };

  const startOAuth = async (provider: OAuthProvider) => {
    try {
      const redirectUri = `${window.location.origin}/oauth/callback/${providerSlug(provider)}`;
      const res = await identityClient.startOAuthLogin({ provider, redirectUri });
      saveOAuthState(provider, res.state);
      window.location.assign(res.authorizationUrl);
    } catch (e) {
      message.error(parseError(e).message);
    }
  };

  return (
    <AuthShell title={t("auth.welcome")}>
      {pending && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("auth.bindWillLink", { provider: t(providerKey(pending.provider)) })}
        />
      )}
      <FormError error={error} unmapped={unmapped} />
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          setTab(k);
          setError(null);
        }}
        items={[
          {
            key: "password",
            label: <span data-testid="tab-login-password">{t("auth.tabPassword")}</span>,
            children: (
              <Form form={pwForm} name="loginPassword" layout="vertical" onFinish={loginWithPassword} requiredMark={false} size="large">
                <Form.Item name="account" rules={[{ required: true, message: t("common.required", { field: t("auth.account") }) }, accountRule]}>
                  <Input data-testid="login-account" prefix={<UserOutlined />} placeholder={t("auth.accountPlaceholder")} autoComplete="username" />
                </Form.Item>
                <Form.Item name="password" rules={[{ required: true, message: t("common.required", { field: t("auth.password") }) }]}>
                  <Input.Password data-testid="login-password" prefix={<LockOutlined />} placeholder={t("auth.passwordPlaceholder")} autoComplete="current-password" />
                </Form.Item>
                <div className="auth-row">
                  <span />
                  <Link to="/reset-password" data-testid="link-forgot">
                    {t("auth.forgot")}
                  </Link>
                </div>
                <Button data-testid="login-submit" type="primary" htmlType="submit" block loading={busy}>
                  {t("auth.login")}
                </Button>
              </Form>
            ),
          },
          {
            key: "code",
            label: <span data-testid="tab-login-code">{t("auth.tabCode")}</span>,
            children: (
              <Form form={codeForm} name="loginCode" layout="vertical" onFinish={loginWithCode} requiredMark={false} size="large">
                <Form.Item name="account" rules={[{ required: true, message: t("common.required", { field: t("auth.account") }) }, accountRule]}>
                  <Input data-testid="login-code-account" prefix={<UserOutlined />} placeholder={t("auth.accountPlaceholder")} autoComplete="username" />
                </Form.Item>
                <CodeField
                  form={codeForm}
                  addressField="account"
                  toAddress={addressOf}
                  purpose={VerificationPurpose.LOGIN}
                  inputTestId="login-code"
                  onError={(err) => {
                    setError(err);
                    setUnmapped(applyFieldErrors(codeForm, err, { map: ADDRESS_MAP, known: ["account", "code"] }));
                  }}
                />
                <Button data-testid="login-code-submit" type="primary" htmlType="submit" block loading={busy}>
                  {t("auth.login")}
                </Button>
              </Form>
            ),
          },
        ]}
      />
      <Divider plain className="auth-divider">
        {t("auth.or")}
      </Divider>
      <div className="oauth-row">
        <Button data-testid="oauth-wechat" icon={<WechatOutlined style={{ color: "#07c160" }} />} onClick={() => startOAuth(OAuthProvider.WECHAT)}>
          {t("auth.wechat")}
        </Button>
        <Button data-testid="oauth-qq" icon={<QqOutlined style={{ color: "#12b7f5" }} />} onClick={() => startOAuth(OAuthProvider.QQ)}>
          {t("auth.qq")}
        </Button>
      </div>
      <div className="auth-foot">
        {t("auth.noAccount")}{" "}
        <Link to={pending ? "/register?bind=1" : "/register"} data-testid="link-register">
          {t("auth.goRegister")}
        </Link>
      </div>
    </AuthShell>
  );
}
